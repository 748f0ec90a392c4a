"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";

/** The bucket's CORS rules as `aws s3api put-bucket-cors` JSON. */
export function CorsRulesForm({ action, rules }: { action: FormAction; rules: string }) {
  return (
    <ActionForm action={action} className="space-y-3" resetOnSuccess={false}>
      {({ errors }) => (
        <>
          <Field label="CORS rules (JSON)" htmlFor="cors-rules" errors={errors("rules")}
            description='The format of aws s3api put-bucket-cors: {"CORSRules": [{"AllowedOrigins": [...], "AllowedMethods": [...], "AllowedHeaders": [...], "ExposeHeaders": [...], "MaxAgeSeconds": 600}]}.'>
            <Textarea id="cors-rules" name="rules" rows={14} defaultValue={rules} className="font-mono text-xs" spellCheck={false} />
          </Field>
          <SubmitButton>Save CORS rules</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
