"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { initialActionResult, type ActionResult } from "@/lib/action-result";

export function AcceptButton({ action }: { action: () => Promise<ActionResult> }) {
  const [state, formAction, pending] = useActionState(async () => action(), initialActionResult);
  return (
    <form action={formAction} className="mt-4">
      <Button type="submit" pending={pending}>Accept invitation</Button>
      {!state.ok && state.error && <p role="alert" className="mt-3 text-sm text-red-600">{state.error}</p>}
    </form>
  );
}
