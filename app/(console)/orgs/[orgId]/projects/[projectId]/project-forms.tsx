"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export function CreateBucketForm({ action, regions }: { action: FormAction; regions: string[] }) {
  return (
    <ActionForm action={action} className="flex flex-wrap items-end gap-3">
      {({ errors }) => (
        <>
          <div className="min-w-64 flex-1">
            <Field label="New bucket" htmlFor="bucket-name" errors={errors("name")} description="3-63 characters: lower-case letters, digits, dots and dashes.">
              <Input id="bucket-name" name="name" placeholder="my-bucket" required />
            </Field>
          </div>
          <Field label="Region" htmlFor="bucket-region" errors={errors("regionId")}>
            <Select id="bucket-region" name="regionId" defaultValue={regions[0]}>
              {regions.map((r) => <option key={r} value={r}>{r}</option>)}
            </Select>
          </Field>
          <SubmitButton>Create bucket</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

export function RenameProjectForm({ action, name }: { action: FormAction; name: string }) {
  return (
    <ActionForm action={action} className="flex items-end gap-3" resetOnSuccess={false}>
      {({ errors }) => (
        <>
          <div className="max-w-sm flex-1">
            <Field label="Project name" htmlFor="project-rename" errors={errors("name")}>
              <Input id="project-rename" name="name" defaultValue={name} required />
            </Field>
          </div>
          <SubmitButton variant="secondary">Rename</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
