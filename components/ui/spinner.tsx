import { LoaderCircle } from "lucide-react";
import { cn } from "./cn";

type SpinnerProps = {
  /** Pixel size of the icon. */
  size?: number;
  /** When given, the spinner is announced (role="status") with this text; otherwise it is decorative. */
  label?: string;
  className?: string;
};

export function Spinner({ size = 16, label, className }: SpinnerProps) {
  const icon = <LoaderCircle aria-hidden="true" width={size} height={size} className={cn("shrink-0 animate-spin", className)} />;
  if (!label) return icon;
  return (
    <span role="status" className="inline-flex items-center gap-2">
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}
