"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { ExpiryField } from "@/components/keys/expiry-field";
import type { IssuedKeyView } from "@/components/keys/issued-key-dialog";
import { useShowIssuedKey } from "@/components/keys/issued-key-provider";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { OwnerField, type OwnerOption } from "@/components/keys/owner-field";

export function MasterKeyForm({ action, regions, owners, me }: { action: FormAction; regions: string[]; owners?: OwnerOption[]; me?: string }) {
  const showIssued = useShowIssuedKey();
  return (
    <ActionForm action={action} className="flex flex-wrap items-start gap-3 text-left" onSuccess={(r) => r.ok && showIssued(r.data as IssuedKeyView)}>
        {({ errors }) => (
          <>
            <Field label="Master key name" htmlFor="master-name" errors={errors("name")}>
              <Input id="master-name" name="name" placeholder="ci-deploy" required />
            </Field>
            <Field label="Region" htmlFor="master-region" errors={errors("regionId")}>
              <Select id="master-region" name="regionId" defaultValue={regions[0]}>
                {regions.map((r) => <option key={r} value={r}>{r}</option>)}
              </Select>
            </Field>
            <ExpiryField idPrefix="master" errors={errors} />
            <OwnerField idPrefix="master" owners={owners} defaultOwnerId={me} errors={errors} />
            <div className="pt-6"><SubmitButton>Create master key</SubmitButton></div>
          </>
        )}
    </ActionForm>
  );
}
