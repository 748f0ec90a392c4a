import { CircleAlert, CircleCheck } from "lucide-react";
import type { ActionResult } from "@/lib/action-result";
import { cn } from "./cn";

type FormMessageProps = {
  /** An action result: its form-level error is shown (and its success message when `showSuccess`). */
  result?: ActionResult<unknown> | null;
  /** Or a plain error message. */
  error?: string | null;
  showSuccess?: boolean;
  className?: string;
};

/** Form-level feedback from a server action. Renders nothing when there is nothing to say. */
export function FormMessage({ result, error, showSuccess = false, className }: FormMessageProps) {
  const message = error ?? (result && !result.ok ? result.error : null);
  if (message) {
    return (
      <div role="alert" className={cn("flex items-start gap-2 rounded-control border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700", className)}>
        <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{message}</span>
      </div>
    );
  }
  if (showSuccess && result?.ok && result.message) {
    return (
      <div role="status" className={cn("flex items-start gap-2 rounded-control border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800", className)}>
        <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{result.message}</span>
      </div>
    );
  }
  return null;
}
