"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { ExpiryField } from "@/components/keys/expiry-field";
import { OwnerField, type OwnerOption } from "@/components/keys/owner-field";
import { ScopeFields } from "@/components/keys/scope-fields";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { PermissionOption, PresetOption } from "@/lib/keys/permission-options";

type Props = {
  action: FormAction;
  regions: string[];
  buckets: { id: string; name: string; regionId: string }[];
  permissions: PermissionOption[];
  presets: PresetOption[];
  masterOwners: OwnerOption[];
  subOwners: OwnerOption[];
  me: string;
};

/** ADMIN only: an access key id + secret from MinIO, Garage, Ceph or AWS, kept as they are. */
export function ImportKeyForm({ action, regions, buckets, permissions, presets, masterOwners, subOwners, me }: Props) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"MASTER" | "SUB">("MASTER");
  const [region, setRegion] = useState(regions[0]);
  if (!open) return <button type="button" onClick={() => setOpen(true)} className="text-sm font-medium text-blue-700 hover:underline">+ Import an existing key pair</button>;
  return (
    <ActionForm action={action} className="space-y-4" onSuccess={(r) => r.ok && setOpen(false)}>
      {({ errors }) => (
        <>
          <p className="text-sm text-gray-600">
            Migrating from MinIO, Garage, Ceph or another S3 service: keep the access key id and secret your applications already use.
            Imported secrets carry no Keygate checksum, so leaked-secret reports cannot recognize them: rotate the key once the migration is done.
          </p>
          <div className="flex flex-wrap gap-3">
            <Field label="Kind" htmlFor="import-kind" errors={errors("kind")}>
              <Select id="import-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as "MASTER" | "SUB")}>
                <option value="MASTER">Master key</option><option value="SUB">Sub key</option>
              </Select>
            </Field>
            <Field label="Name" htmlFor="import-name" errors={errors("name")}>
              <Input id="import-name" name="name" placeholder="minio-app" required />
            </Field>
            <Field label="Region" htmlFor="import-region" errors={errors("regionId")}>
              <Select id="import-region" name="regionId" value={region} onChange={(e) => setRegion(e.target.value)}>
                {regions.map((r) => <option key={r} value={r}>{r}</option>)}
              </Select>
            </Field>
            <ExpiryField idPrefix="import" errors={errors} />
            <OwnerField idPrefix="import" owners={kind === "MASTER" ? masterOwners : subOwners} defaultOwnerId={me} errors={errors} />
          </div>
          <div className="flex flex-wrap gap-3">
            <Field label="Access key id" htmlFor="import-id" errors={errors("accessKeyId")} description="16 to 128 characters of A-Z and 0-9.">
              <Input id="import-id" name="accessKeyId" required autoComplete="off" spellCheck={false} className="font-mono" />
            </Field>
            <Field label="Secret access key" htmlFor="import-secret" errors={errors("secret")} description="At least 30 characters.">
              <Input id="import-secret" name="secret" type="password" required autoComplete="new-password" spellCheck={false} className="font-mono" />
            </Field>
          </div>
          {kind === "SUB" && <ScopeFields idPrefix="import" permissions={permissions} presets={presets} buckets={buckets.filter((b) => b.regionId === region)} errors={errors} />}
          <div className="flex gap-2">
            <SubmitButton>Import key pair</SubmitButton>
            <button type="button" onClick={() => setOpen(false)} className="text-sm text-gray-600 hover:underline">Cancel</button>
          </div>
        </>
      )}
    </ActionForm>
  );
}
