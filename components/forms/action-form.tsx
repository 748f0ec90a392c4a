"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { FormPendingContext } from "@/components/ui/submit-button";
import { initialActionResult, type ActionResult } from "@/lib/action-result";

export type FormAction = (prev: ActionResult, form: FormData) => Promise<ActionResult>;

type Props = {
  action: FormAction;
  children: (state: { errors: (field: string) => string[] | undefined; pending: boolean }) => ReactNode;
  className?: string;
  resetOnSuccess?: boolean;
  onSuccess?: (result: ActionResult) => void;
};

/**
 * A form bound to a server action through useActionState: field errors go to the fields,
 * a form-level error is shown under the form, success becomes a toast.
 *
 * Submitted through onSubmit rather than `action={…}`: React resets a form after an action
 * prop completes, which would wipe what the user typed whenever the server reports an error.
 */
export function ActionForm({ action, children, className, resetOnSuccess = true, onSuccess }: Props) {
  const [state, formAction, pending] = useActionState(action, initialActionResult);
  const formRef = useRef<HTMLFormElement>(null);
  const last = useRef<ActionResult | null>(null);
  // Set on submit, cleared when the result arrives: a double click sends one request, not two
  // (the second would report "already exists" next to the first one's success).
  const inFlight = useRef(false);
  useEffect(() => { if (!pending) inFlight.current = false; }, [pending]);

  useEffect(() => {
    if (state === last.current || state === initialActionResult) return;
    last.current = state;
    if (state.ok) {
      if (state.message) toast.success(state.message);
      if (resetOnSuccess) formRef.current?.reset();
      onSuccess?.(state);
    }
  }, [state, resetOnSuccess, onSuccess]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };

  const errors = (field: string) => (!state.ok ? state.fieldErrors?.[field] : undefined);
  return (
    <form ref={formRef} onSubmit={onSubmit} className={className} noValidate>
      <FormPendingContext.Provider value={pending}>{children({ errors, pending })}</FormPendingContext.Provider>
      {!state.ok && state.error && (
        <p role="alert" className="mt-3 text-sm text-red-600">{state.error}</p>
      )}
    </form>
  );
}
