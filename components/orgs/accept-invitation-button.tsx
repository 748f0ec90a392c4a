"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { initialActionResult, type ActionResult } from "@/lib/action-result";

/** One-button form that accepts an invitation; the action redirects into the organization. */
export function AcceptInvitationButton({ action, label = "Accept invitation", className }: { action: () => Promise<ActionResult>; label?: string; className?: string }) {
  const [state, formAction, pending] = useActionState(async () => action(), initialActionResult);
  return (
    <form action={formAction} className={className}>
      <Button type="submit" pending={pending}>{label}</Button>
      {!state.ok && state.error && <p role="alert" className="mt-3 text-sm text-red-600">{state.error}</p>}
    </form>
  );
}
