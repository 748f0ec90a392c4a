import type { ComponentProps } from "react";
import { cn } from "./cn";

export type LabelProps = ComponentProps<"label"> & {
  /** Appends a red asterisk (hidden from screen readers; the control itself should carry `required`). */
  required?: boolean;
};

export function Label({ className, required, children, ...props }: LabelProps) {
  return (
    <label className={cn("block text-[13px] font-medium text-gray-800", className)} {...props}>
      {children}
      {required && <span aria-hidden="true" className="ml-0.5 text-red-600">*</span>}
    </label>
  );
}
