import { ChevronDown } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./input";

export type SelectProps = ComponentProps<"select"> & {
  /** Classes of the wrapper (width, margins). Defaults to full width. */
  className?: string;
  /** Classes of the native <select> itself. */
  selectClassName?: string;
};

/** A native <select>, styled like the other controls. Pass <option> elements as children. */
export function Select({ className, selectClassName, children, ...props }: SelectProps) {
  return (
    <div className={cn("relative w-full", className)}>
      <select className={cn(controlClasses, "h-9 appearance-none pl-3 pr-8", selectClassName)} {...props}>
        {children}
      </select>
      <ChevronDown aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-gray-500" />
    </div>
  );
}
