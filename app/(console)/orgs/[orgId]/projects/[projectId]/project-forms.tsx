"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export function CreateBucketForm({ action, regions }: { action: FormAction; regions: string[] }) {
  const [versioning, setVersioning] = useState(false);
  const [objectLock, setObjectLock] = useState(false);
  const reset = () => { setVersioning(false); setObjectLock(false); };
  return (
    <ActionForm action={action} className="space-y-3" onSuccess={(r) => r.ok && reset()}>
      {({ errors }) => (
        <>
          <div className="flex flex-wrap items-end gap-3">
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
          </div>
          <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            {/* Object Lock implies versioning (as S3): the versioning box is then ticked and fixed. */}
            <label className="flex max-w-md items-start gap-2">
              <input type="checkbox" name="versioning" className="mt-0.5 h-4 w-4 shrink-0" disabled={objectLock} checked={versioning || objectLock}
                onChange={(e) => setVersioning(e.target.checked)} />
              {objectLock && <input type="hidden" name="versioning" value="on" />}
              <span><span className="font-medium">Enable versioning</span>
                <span className="block text-xs text-gray-500">Keeps every version of every object. Can be suspended later, but the bucket never returns to unversioned.</span></span>
            </label>
            <label className="flex max-w-md items-start gap-2">
              <input type="checkbox" name="objectLock" className="mt-0.5 h-4 w-4 shrink-0" checked={objectLock} onChange={(e) => setObjectLock(e.target.checked)} />
              <span><span className="font-medium">Enable Object Lock</span>
                <span className="block text-xs text-gray-500">Lets versions be locked against deletion (retention, legal hold). Implies versioning; it cannot be turned off later, and versioning cannot then be suspended.</span></span>
            </label>
          </div>
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
