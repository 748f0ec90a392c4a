"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";

/** The key's description, shown as text with an Edit link that opens an inline form. */
export function DescriptionForm({ action, description }: { action: FormAction; description: string | null }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="text-sm">
        <p className="whitespace-pre-wrap text-gray-700" data-testid="key-description">{description || <span className="text-gray-500">No description.</span>}</p>
        <button type="button" onClick={() => setOpen(true)} className="mt-1 text-sm font-medium text-blue-700 hover:underline">Edit description</button>
      </div>
    );
  }
  return (
    <ActionForm action={action} className="space-y-2" resetOnSuccess={false} onSuccess={() => setOpen(false)}>
      {({ errors }) => (
        <>
          <Field label="Description" htmlFor="key-description-input" errors={errors("description")} description="Up to 500 characters: what uses this key, who to ask.">
            <Textarea id="key-description-input" name="description" defaultValue={description ?? ""} maxLength={500} />
          </Field>
          <div className="flex gap-2">
            <SubmitButton>Save description</SubmitButton>
            <button type="button" onClick={() => setOpen(false)} className="text-sm text-gray-600 hover:underline">Cancel</button>
          </div>
        </>
      )}
    </ActionForm>
  );
}
