"use client";

import { TriangleAlert } from "lucide-react";
import { useActionState } from "react";
import { clientSnippets, CredentialRows } from "@/components/keys/issued-key-dialog";
import { SubmitButton } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { type ActionResult, fieldErrorsOf, initialActionResult } from "@/lib/action-result";
import type { RetrievedKey } from "@/lib/shares/retrieve-share";

type RevealAction = (prev: ActionResult, form: FormData) => Promise<ActionResult<RetrievedKey>>;

/** Asks for the address the link was sent to, then shows the credentials (once). */
export function RevealForm({ action }: { action: RevealAction }) {
  const [state, formAction] = useActionState<ActionResult<RetrievedKey>, FormData>(action, initialActionResult);
  if (state.ok && state.data) return <RevealedKey revealed={state.data} />;
  const emailErrors = fieldErrorsOf(state, "email");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <Field label="Your email address" description="Type the address this link was sent to. The key is shown once, right here." errors={emailErrors}>
        <Input name="email" type="email" autoComplete="email" placeholder="you@example.com" required />
      </Field>
      {!emailErrors && <FormMessage result={state} />}
      <SubmitButton pendingLabel="Revealing…">Reveal the key</SubmitButton>
    </form>
  );
}

function RevealedKey({ revealed }: { revealed: RetrievedKey }) {
  const snippets = clientSnippets(revealed);
  return (
    <div className="space-y-4" data-testid="shared-key-revealed">
      <p role="status" className="flex items-start gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        This is the only time the secret is shown: this link no longer works. Copy the key now and store it safely.
      </p>
      <CredentialRows view={revealed} testIdPrefix="shared" />
      <div className="space-y-3">
        <h2 className="text-sm font-semibold">Client setup</h2>
        <CodeBlock label="aws CLI profile" code={snippets.awsCli} />
        <CodeBlock label="Environment variables" code={snippets.envVars} />
      </div>
    </div>
  );
}
