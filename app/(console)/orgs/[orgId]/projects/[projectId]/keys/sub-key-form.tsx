"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import type { IssuedKeyView } from "@/components/keys/issued-key-dialog";
import { useShowIssuedKey } from "@/components/keys/issued-key-provider";
import { FormButtons, KeySetupFields, OpenFormLink, type RegionBucket, useKeyRegion } from "@/components/keys/key-setup-fields";
import type { OwnerOption } from "@/components/keys/owner-field";
import { ScopeFields } from "@/components/keys/scope-fields";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { PermissionOption, PresetOption } from "@/lib/keys/permission-options";

export type KeyFormProps = {
  action: FormAction;
  regions: string[];
  buckets: RegionBucket[];
  permissions: PermissionOption[];
  presets: PresetOption[];
};

export function SubKeyForm({ action, regions, buckets, permissions, presets, owners, me }: KeyFormProps & { owners?: OwnerOption[]; me?: string }) {
  const showIssued = useShowIssuedKey();
  const { region, setRegion, regionBuckets } = useKeyRegion(regions, buckets);
  const [open, setOpen] = useState(false);
  if (!open) return <OpenFormLink label="+ Create a sub key" onOpen={() => setOpen(true)} />;
  return (
    <ActionForm action={action} className="space-y-4" onSuccess={(r) => { if (r.ok) { showIssued(r.data as IssuedKeyView); setOpen(false); } }}>
      {({ errors }) => (
        <>
          <div className="flex flex-wrap gap-3">
            <Field label="Sub key name" htmlFor="sub-name" errors={errors("name")}>
              <Input id="sub-name" name="name" placeholder="backup-reader" required />
            </Field>
            <KeySetupFields idPrefix="sub" regions={regions} region={region} onRegionChange={setRegion} owners={owners} me={me} errors={errors} />
          </div>
          <ScopeFields idPrefix="sub" permissions={permissions} presets={presets} buckets={regionBuckets} errors={errors} />
          <FormButtons submitLabel="Create sub key" onCancel={() => setOpen(false)} />
        </>
      )}
    </ActionForm>
  );
}
