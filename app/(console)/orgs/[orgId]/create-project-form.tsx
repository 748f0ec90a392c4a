"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function CreateProjectForm({ action }: { action: FormAction }) {
  return (
    <Card className="p-4">
      <ActionForm action={action} className="flex items-end gap-3">
        {({ errors }) => (
          <>
            <div className="flex-1">
              <Field label="New project" htmlFor="project-name" errors={errors("name")}>
                <Input id="project-name" name="name" placeholder="e.g. website-assets" required />
              </Field>
            </div>
            <SubmitButton>Create project</SubmitButton>
          </>
        )}
      </ActionForm>
    </Card>
  );
}
