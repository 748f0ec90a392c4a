"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { FormButtons, OpenFormLink } from "@/components/keys/key-setup-fields";
import { ScopeFields, type ScopeDefaults } from "@/components/keys/scope-fields";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { PermissionOption, PresetOption } from "@/lib/keys/permission-options";

type Props = {
  action: FormAction;
  name: string;
  defaults: ScopeDefaults;
  buckets: { id: string; name: string }[];
  permissions: PermissionOption[];
  presets: PresetOption[];
};

/** Edits a sub key's name and limits; the server records what changed as key.updated. */
export function EditSubKeyForm({ action, name, defaults, buckets, permissions, presets }: Props) {
  const [open, setOpen] = useState(false);
  if (!open) return <OpenFormLink label="Edit name, permissions and limits" onOpen={() => setOpen(true)} />;
  return (
    <ActionForm action={action} className="space-y-4" resetOnSuccess={false} onSuccess={() => setOpen(false)}>
      {({ errors }) => (
        <>
          <Field label="Name" htmlFor="edit-name" errors={errors("name")}>
            <Input id="edit-name" name="name" defaultValue={name} required />
          </Field>
          <ScopeFields idPrefix="edit" permissions={permissions} presets={presets} buckets={buckets} errors={errors} defaults={defaults} />
          <FormButtons submitLabel="Save changes" onCancel={() => setOpen(false)} />
        </>
      )}
    </ActionForm>
  );
}
