"use client";

import { unstable_rethrow } from "next/navigation";
import { useState, useTransition, type FormEvent, type ReactElement, type ReactNode } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/action-result";
import { Button } from "./button";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader, DialogTrigger } from "./dialog";
import { FormMessage } from "./form-message";

export type ConfirmAction = (formData: FormData) => Promise<ActionResult<unknown>>;

type ConfirmDialogProps = {
  /** The element that opens the dialog (a Button); omit it to control the dialog with `open`. */
  trigger?: ReactElement;
  /** Controlled mode (e.g. opened from a menu item): the parent owns the open state. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** Red confirm button for irreversible actions. */
  destructive?: boolean;
  /** Server action (usually `someAction.bind(null, id)`), called with the dialog's form data. */
  action: ConfirmAction;
  /** Hidden inputs submitted with the form. */
  hiddenFields?: Record<string, string>;
  /** Extra form content between description and buttons (e.g. an input the action reads). */
  children?: ReactNode;
  /** Toast text on success when the result has no message. */
  successMessage?: string;
  onSuccess?: (result: ActionResult<unknown>) => void;
};

/**
 * Asks for confirmation, then runs a server action. Pending state disables the buttons and
 * keeps the dialog open; success closes it and toasts the result message; failure keeps it
 * open and shows the error inline.
 */
export function ConfirmDialog({
  trigger, title, description, confirmLabel = "Confirm", cancelLabel = "Cancel", destructive = false,
  action, hiddenFields, children, successMessage, onSuccess, open: openProp, onOpenChange: onOpenChangeProp,
}: ConfirmDialogProps) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => (onOpenChangeProp ?? setOpenState)(next);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    if (pending) return; // no dismissal mid-request
    setOpen(next);
    if (next) setError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    setError(null);
    startTransition(async () => {
      let result: ActionResult<unknown>;
      try {
        result = await action(formData);
      } catch (err) {
        unstable_rethrow(err); // redirect()/notFound() from the action are handled by Next
        result = { ok: false, error: "Something went wrong. Please try again." };
      }
      if (result.ok) {
        toast.success(result.message ?? successMessage ?? "Done");
        setOpen(false);
        onSuccess?.(result);
      } else {
        setError(result.error); // shown once, inline in the dialog (no toast on top of it)
      }
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {trigger && <DialogTrigger asChild>{trigger}</DialogTrigger>}
      <DialogContent size="sm" showClose={!pending} role="alertdialog" {...(description ? {} : { "aria-describedby": undefined })}>
        <form onSubmit={onSubmit} noValidate>
          <DialogHeader title={title} description={description} />
          {(children || error) && (
            <DialogBody className="space-y-3">
              {children}
              <FormMessage error={error} />
            </DialogBody>
          )}
          {hiddenFields && Object.entries(hiddenFields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary" disabled={pending}>{cancelLabel}</Button>
            </DialogClose>
            <Button type="submit" variant={destructive ? "danger" : "primary"} pending={pending} autoFocus={!destructive && !children}>
              {confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
