"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { PresignedUpload } from "@/lib/keys/presign-upload";
import { snippet } from "@/lib/keys/presign-snippet";

export function PresignUploadForm({ action, buckets }: { action: FormAction; buckets: string[] }) {
  const [result, setResult] = useState<PresignedUpload | null>(null);
  return (
    <div className="space-y-4">
      <ActionForm action={action} resetOnSuccess={false} onSuccess={(r) => setResult(r.ok ? (r.data as PresignedUpload) : null)} className="flex flex-wrap items-end gap-3">
        {({ errors }) => (
          <>
            <Field label="Method" htmlFor="presign-method" errors={errors("method")}>
              <Select id="presign-method" name="method" defaultValue="PUT">
                <option value="PUT">PUT (presigned URL)</option>
                <option value="POST">POST (HTML form)</option>
              </Select>
            </Field>
            <Field label="Bucket" htmlFor="presign-bucket" errors={errors("bucket")}>
              <Select id="presign-bucket" name="bucket">{buckets.map((b) => <option key={b} value={b}>{b}</option>)}</Select>
            </Field>
            <div className="min-w-56 flex-1">
              <Field label="Object key" htmlFor="presign-key" errors={errors("objectKey")} description='For POST, a prefix ending in "/" takes the file&apos;s name.'>
                <Input id="presign-key" name="objectKey" placeholder="uploads/photo.jpg" required />
              </Field>
            </div>
            <Field label="Valid for" htmlFor="presign-expires" errors={errors("expiresInSeconds")}>
              <Select id="presign-expires" name="expiresInSeconds" defaultValue="3600">
                <option value="900">15 minutes</option>
                <option value="3600">1 hour</option>
                <option value="86400">1 day</option>
                <option value="604800">7 days</option>
              </Select>
            </Field>
            <SubmitButton variant="secondary">Sign upload</SubmitButton>
          </>
        )}
      </ActionForm>
      {result && (
        <div className="space-y-2" data-testid="presigned-upload">
          <p className="text-xs text-gray-500">Valid until {new Date(result.expiresAt).toISOString().replace("T", " ").slice(0, 16)} UTC. Anyone holding it can upload there until then.</p>
          <CodeBlock label={result.method === "PUT" ? "Presigned PUT" : "POST form"} code={snippet(result)} wrap />
        </div>
      )}
    </div>
  );
}
