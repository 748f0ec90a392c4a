"use client";

import { ActionForm } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createOrganizationAction } from "./actions";

export function CreateOrganizationForm() {
  return (
    <ActionForm action={createOrganizationAction} className="mt-4 space-y-4">
      {({ errors }) => (
        <>
          <Field label="Organization name" htmlFor="org-name" errors={errors("name")}>
            <Input id="org-name" name="name" required autoFocus placeholder="Acme Inc." />
          </Field>
          <SubmitButton className="w-full">Create organization</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
