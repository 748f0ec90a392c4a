"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Created = { name: string; token: string; expiresAt: string };

/** Creates a token and shows it once, until the page is left or another token is created. */
export function OrgTokenForm({ action }: { action: FormAction }) {
  const [created, setCreated] = useState<Created | null>(null);
  const [custom, setCustom] = useState(false);
  return (
    <div className="space-y-4">
      <ActionForm action={action} className="flex flex-wrap items-start gap-3" onSuccess={(r) => r.ok && setCreated(r.data as Created)}>
        {({ errors }) => (
          <>
            <Field label="Token name" htmlFor="token-name" errors={errors("name")}>
              <Input id="token-name" name="name" placeholder="terraform" required />
            </Field>
            <Field label="Expires" htmlFor="token-expiry" errors={errors("expiry")}>
              <Select id="token-expiry" name="expiry" defaultValue="30d" onChange={(e) => setCustom(e.target.value === "custom")}>
                <option value="7d">In 7 days</option>
                <option value="30d">In 30 days</option>
                <option value="90d">In 90 days</option>
                <option value="1y">In 1 year</option>
                <option value="custom">On a date…</option>
              </Select>
            </Field>
            {custom && (
              <Field label="Expiry date" htmlFor="token-expires-at" errors={errors("expiresAt")}>
                <Input id="token-expires-at" name="expiresAt" type="date" required />
              </Field>
            )}
            <div className="pt-6"><SubmitButton>Create API token</SubmitButton></div>
          </>
        )}
      </ActionForm>
      {created && (
        <div role="status" className="space-y-2 rounded-card border border-amber-300 bg-amber-50 p-4">
          <p className="text-sm font-medium text-amber-900">
            Copy the token “{created.name}” now: it is shown only this once (expires {created.expiresAt.slice(0, 10)}).
          </p>
          <CodeBlock label="API token" code={created.token} wrap />
          <p className="text-xs text-amber-900">Send it as <code>Authorization: Bearer &lt;token&gt;</code> to /api/v1.</p>
        </div>
      )}
    </div>
  );
}
