"use client";

import { Mail } from "lucide-react";
import { useActionState, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { FormAction } from "@/components/forms/action-form";
import { Button, SubmitButton } from "@/components/ui/button";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf, initialActionResult } from "@/lib/action-result";
import { SHARE_MESSAGE_MAX, shareTtlOptions } from "@/lib/shares/share-options";

type Props = {
  /** shareKeyAction.bind(null, orgId, keyId) */
  action: FormAction;
  keyName: string;
  /** KEYGATE_SHARE_TTL_HOURS: preselected link lifetime. */
  defaultTtlHours: number;
  /** Opened from a key list's "Share" menu item (?share=1). */
  defaultOpen?: boolean;
};

/** "Share by email": recipient, optional message and link lifetime. The email carries a link, never the key. */
export function ShareKeyDialog({ action, keyName, defaultTtlHours, defaultOpen = false }: Props) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm"><Mail aria-hidden />Share by email</Button>
      </DialogTrigger>
      <DialogContent size="md">
        {/* Mounted only while open, so every opening starts with an empty form and no old errors. */}
        {open && <ShareForm action={action} keyName={keyName} defaultTtlHours={defaultTtlHours} onSent={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function ShareForm({ action, keyName, defaultTtlHours, onSent }: Props & { onSent: () => void }) {
  const [state, formAction, pending] = useActionState(action, initialActionResult);
  const handled = useRef(state);
  useEffect(() => {
    if (state === handled.current || !state.ok) return;
    handled.current = state;
    toast.success(state.message ?? "Share link sent");
    onSent();
  }, [state, onSent]);
  const errors = (field: string) => fieldErrorsOf(state, field);
  return (
    <form action={formAction} noValidate>
      <DialogHeader title={`Share ${keyName} by email`}
        description="The recipient gets a link that reveals the key once, after confirming this address. The email never contains the key." />
      <DialogBody className="space-y-4">
        <Field label="Recipient email" errors={errors("recipientEmail")} required>
          <Input name="recipientEmail" type="email" autoComplete="off" placeholder="teammate@example.com" autoFocus />
        </Field>
        <Field label="Message" description={`Optional, included in the email (at most ${SHARE_MESSAGE_MAX} characters).`} errors={errors("message")}>
          <Textarea name="message" maxLength={SHARE_MESSAGE_MAX} rows={3} />
        </Field>
        <Field label="Link works for" errors={errors("ttlHours")}>
          <Select name="ttlHours" defaultValue={String(defaultTtlHours)}>
            {shareTtlOptions(defaultTtlHours).map((o) => <option key={o.hours} value={o.hours}>{o.label}</option>)}
          </Select>
        </Field>
        {!state.ok && !state.fieldErrors && <FormMessage result={state} />}
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild><Button variant="secondary" disabled={pending}>Cancel</Button></DialogClose>
        <SubmitButton>Send link</SubmitButton>
      </DialogFooter>
    </form>
  );
}
