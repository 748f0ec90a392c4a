"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";
import type { IssuedKeyView } from "./issued-key-dialog";
import { useShowIssuedKey } from "./issued-key-provider";

type Props = {
  action: () => Promise<ActionResult>;
  label: string;
  variant?: "primary" | "secondary" | "danger" | "ghost";
  size?: "sm" | "md";
  /** When set, the action runs only after this confirmation (rotate, reset). */
  confirm?: { title: string; description: string; confirmLabel: string };
};

/** Runs an action that issues a secret (create pair, rotate, reset) and shows it once. */
export function IssueKeyButton({ action, label, variant = "primary", size = "sm", confirm }: Props) {
  const showIssued = useShowIssuedKey();
  const [asking, setAsking] = useState(false);
  const [pending, start] = useTransition();

  const run = () =>
    start(async () => {
      const result = await action();
      setAsking(false);
      if (!result.ok) return void toast.error(result.error);
      if (result.message) toast.success(result.message);
      showIssued(result.data as IssuedKeyView);
    });

  return (
    <>
      <Button variant={variant} size={size} pending={pending && !confirm} onClick={() => (confirm ? setAsking(true) : run())}>{label}</Button>
      {confirm && (
        <Dialog.Root open={asking} onOpenChange={setAsking}>
          <Dialog.Portal>
            <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
            <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(440px,95vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
              <Dialog.Title className="text-base font-semibold">{confirm.title}</Dialog.Title>
              <Dialog.Description className="mt-2 text-sm text-gray-600">{confirm.description}</Dialog.Description>
              <div className="mt-5 flex justify-end gap-2">
                <Dialog.Close asChild><Button variant="secondary">Cancel</Button></Dialog.Close>
                <Button variant="danger" pending={pending} onClick={run}>{confirm.confirmLabel}</Button>
              </div>
            </Dialog.Content>
          </Dialog.Portal>
        </Dialog.Root>
      )}
    </>
  );
}
