"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { ExpiryField } from "@/components/keys/expiry-field";
import type { IssuedKeyView } from "@/components/keys/issued-key-dialog";
import { useShowIssuedKey } from "@/components/keys/issued-key-provider";
import { ScopeFields } from "@/components/keys/scope-fields";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { OwnerField, type OwnerOption } from "@/components/keys/owner-field";
import type { PermissionOption, PresetOption } from "@/lib/keys/permission-options";

type Props = {
  action: FormAction;
  regions: string[];
  buckets: { id: string; name: string; regionId: string }[];
  permissions: PermissionOption[];
  presets: PresetOption[];
  owners?: OwnerOption[];
  me?: string;
};

export function SubKeyForm({ action, regions, buckets, permissions, presets, owners, me }: Props) {
  const showIssued = useShowIssuedKey();
  const [region, setRegion] = useState(regions[0]);
  const [open, setOpen] = useState(false);
  if (!open) return <button type="button" onClick={() => setOpen(true)} className="text-sm font-medium text-blue-700 hover:underline">+ Create a sub key</button>;
  return (
    <ActionForm action={action} className="space-y-4" onSuccess={(r) => { if (r.ok) { showIssued(r.data as IssuedKeyView); setOpen(false); } }}>
        {({ errors }) => (
          <>
            <div className="flex flex-wrap gap-3">
              <Field label="Sub key name" htmlFor="sub-name" errors={errors("name")}>
                <Input id="sub-name" name="name" placeholder="backup-reader" required />
              </Field>
              <Field label="Region" htmlFor="sub-region" errors={errors("regionId")}>
                <Select id="sub-region" name="regionId" value={region} onChange={(e) => setRegion(e.target.value)}>
                  {regions.map((r) => <option key={r} value={r}>{r}</option>)}
                </Select>
              </Field>
              <ExpiryField idPrefix="sub" errors={errors} />
              <OwnerField idPrefix="sub" owners={owners} defaultOwnerId={me} errors={errors} />
            </div>
            <ScopeFields idPrefix="sub" permissions={permissions} presets={presets} buckets={buckets.filter((b) => b.regionId === region)} errors={errors} />
            <div className="flex gap-2">
              <SubmitButton>Create sub key</SubmitButton>
              <button type="button" onClick={() => setOpen(false)} className="text-sm text-gray-600 hover:underline">Cancel</button>
            </div>
          </>
        )}
    </ActionForm>
  );
}
