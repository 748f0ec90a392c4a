"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/action-result";
import type { IssuedKeyView } from "./issued-key-dialog";
import { useShowIssuedKey } from "./issued-key-provider";

type Props = {
  /** The rotate action with the key bound; receives the overlap choice. */
  action: (overlap: string) => Promise<ActionResult>;
  keyName: string;
  options: readonly { value: string; label: string }[];
  /** A rotation overlap window is open now: rotating again ends it first. */
  overlapOpen?: boolean;
};

/** Rotate with an optional overlap window during which the old secret keeps working. */
export function RotateKeyButton({ action, keyName, options, overlapOpen }: Props) {
  const showIssued = useShowIssuedKey();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState("none");
  const [pending, start] = useTransition();
  const run = () =>
    start(async () => {
      const result = await action(overlap);
      setOpen(false);
      if (!result.ok) return void toast.error(result.error);
      if (result.message) toast.success(result.message);
      showIssued(result.data as IssuedKeyView);
    });
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>Rotate secret</Button>
      <Dialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(460px,95vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
            <Dialog.Title className="text-base font-semibold">Rotate {keyName}?</Dialog.Title>
            <Dialog.Description className="mt-2 text-sm text-gray-600">
              A new secret is shown once. Keep the old one working for a while so running clients can move over without downtime
              (never beyond the key&apos;s expiry).{overlapOpen ? " The overlap window that is open now ends first: the oldest secret stops working." : ""}
            </Dialog.Description>
            <label htmlFor="rotate-overlap" className="mt-4 block text-xs font-medium text-gray-700">Old secret</label>
            <Select id="rotate-overlap" name="overlap" className="mt-1" value={overlap} onChange={(e) => setOverlap(e.target.value)}>
              {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </Select>
            <div className="mt-5 flex justify-end gap-2">
              <Dialog.Close asChild><Button variant="secondary">Cancel</Button></Dialog.Close>
              <Button variant="danger" pending={pending} onClick={run}>Rotate secret</Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </>
  );
}
