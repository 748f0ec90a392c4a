import type { ComponentProps, ReactNode } from "react";
import { useId } from "react";
import { cn } from "./cn";

export type CheckboxProps = Omit<ComponentProps<"input">, "type"> & {
  /** Text next to the box; clicking it toggles the box. */
  label?: ReactNode;
  /** Secondary text under the label (wired with aria-describedby). */
  description?: ReactNode;
};

const boxClasses =
  "size-4 shrink-0 cursor-pointer accent-accent outline-hidden " +
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";

export function Checkbox({ label, description, className, id, ...props }: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const descId = description ? `${inputId}-description` : undefined;
  const describedBy = [props["aria-describedby"], descId].filter(Boolean).join(" ") || undefined;
  const input = <input type="checkbox" id={inputId} className={cn(boxClasses, !label && className)} {...props} aria-describedby={describedBy} />;
  if (!label) return input;
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <span className="flex h-5 items-center">{input}</span>
      <span className="min-w-0">
        <label htmlFor={inputId} className="block cursor-pointer text-sm leading-5 text-gray-900">{label}</label>
        {description && <span id={descId} className="block text-[13px] text-gray-500">{description}</span>}
      </span>
    </div>
  );
}
