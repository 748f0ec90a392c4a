"use client";

import { useState } from "react";
import { ActionForm } from "@/components/forms/action-form";
import { FormButtons, KeySetupFields, OpenFormLink, useKeyRegion } from "@/components/keys/key-setup-fields";
import type { OwnerOption } from "@/components/keys/owner-field";
import { ScopeFields } from "@/components/keys/scope-fields";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { KeyFormProps } from "./sub-key-form";

/** ADMIN only: an access key id + secret from MinIO, Garage, Ceph or AWS, kept as they are. */
export function ImportKeyForm({ action, regions, buckets, permissions, presets, masterOwners, subOwners, me }: KeyFormProps & { masterOwners: OwnerOption[]; subOwners: OwnerOption[]; me: string }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"MASTER" | "SUB">("MASTER");
  const { region, setRegion, regionBuckets } = useKeyRegion(regions, buckets);
  if (!open) return <OpenFormLink label="+ Import an existing key pair" onOpen={() => setOpen(true)} />;
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
            <KeySetupFields idPrefix="import" regions={regions} region={region} onRegionChange={setRegion}
              owners={kind === "MASTER" ? masterOwners : subOwners} me={me} errors={errors} />
          </div>
          <div className="flex flex-wrap gap-3">
            <Field label="Access key id" htmlFor="import-id" errors={errors("accessKeyId")} description="16 to 128 characters of A-Z and 0-9.">
              <Input id="import-id" name="accessKeyId" required autoComplete="off" spellCheck={false} className="font-mono" />
            </Field>
            <Field label="Secret access key" htmlFor="import-secret" errors={errors("secret")} description="At least 30 characters.">
              <Input id="import-secret" name="secret" type="password" required autoComplete="new-password" spellCheck={false} className="font-mono" />
            </Field>
          </div>
          {kind === "SUB" && <ScopeFields idPrefix="import" permissions={permissions} presets={presets} buckets={regionBuckets} errors={errors} />}
          <FormButtons submitLabel="Import key pair" onCancel={() => setOpen(false)} />
        </>
      )}
    </ActionForm>
  );
}
