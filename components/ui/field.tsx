import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";
import { cn } from "./cn";
import { Label } from "./label";

type ControlProps = { id?: string; "aria-invalid"?: boolean | "true" | "false"; "aria-describedby"?: string };

export type FieldProps = {
  label: ReactNode;
  /** Id of the control; generated (and set on the control) when omitted. */
  htmlFor?: string;
  /** Help text under the control. */
  description?: ReactNode;
  /** Validation messages; when present the control gets aria-invalid and the messages are described by it. */
  errors?: string[];
  required?: boolean;
  /** Hides the label visually (still read by screen readers). */
  hideLabel?: boolean;
  className?: string;
  /** A single control element (Input, Select, Textarea…). */
  children: ReactNode;
};

/**
 * Label + control + description + error list. The control (the single child element) receives
 * `id`, `aria-invalid` and `aria-describedby` pointing at the description and errors.
 */
export function Field({ label, htmlFor, description, errors, required, hideLabel, className, children }: FieldProps) {
  const autoId = useId();
  const childId = isValidElement<ControlProps>(children) ? children.props.id : undefined;
  const id = htmlFor ?? childId ?? autoId;
  const descId = description ? `${id}-description` : undefined;
  const errorList = errors?.filter(Boolean) ?? [];
  const errId = errorList.length ? `${id}-errors` : undefined;

  let control = children;
  if (isValidElement<ControlProps>(children)) {
    const own = children.props;
    const describedBy = [own["aria-describedby"], descId, errId].filter(Boolean).join(" ") || undefined;
    const invalid = errorList.length > 0 || own["aria-invalid"] === true || own["aria-invalid"] === "true";
    control = cloneElement(children as ReactElement<ControlProps>, {
      id: own.id ?? id,
      "aria-invalid": invalid || undefined,
      "aria-describedby": describedBy,
    });
  }

  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={id} required={required} className={hideLabel ? "sr-only" : undefined}>
        {label}
      </Label>
      {control}
      {description && (
        <p id={descId} className="text-[13px] text-gray-500">{description}</p>
      )}
      {errId && (
        <ul id={errId} className="space-y-0.5 text-[13px] text-red-600">
          {errorList.map((e, i) => <li key={i}>{e}</li>)}
        </ul>
      )}
    </div>
  );
}
