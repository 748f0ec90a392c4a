"use client";

import { createContext, useContext } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

/** Pending state of a form submitted programmatically (ActionForm), where useFormStatus sees nothing. */
export const FormPendingContext = createContext(false);

/**
 * A submit button that shows the pending state of its enclosing form: `<form action={…}>`
 * via useFormStatus, or an ActionForm via FormPendingContext. `pending` can still be forced.
 */
export function SubmitButton({ pending, type = "submit", ...props }: ButtonProps) {
  const status = useFormStatus();
  const contextPending = useContext(FormPendingContext);
  return <Button type={type} pending={pending || status.pending || contextPending} {...props} />;
}
