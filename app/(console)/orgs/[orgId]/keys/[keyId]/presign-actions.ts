"use server";

import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { type PresignedUpload, presignUpload } from "@/lib/keys/presign-upload";
import { formToObject, runAction } from "@/lib/run-action";

/** "Presigned upload": a PUT URL or POST form for this sub key. Nothing is stored. */
export async function presignUploadAction(orgId: string, keyId: string, _prev: ActionResult, form: FormData): Promise<ActionResult<PresignedUpload>> {
  const ctx = await requireOrgContext(orgId, "keys.use");
  const raw = formToObject(form);
  const input = {
    ...raw,
    expiresInSeconds: Number(raw.expiresInSeconds),
    maxBytes: raw.maxBytes ? Number(raw.maxBytes) : undefined,
  };
  return runAction(() => presignUpload(getDb(), ctx, keyId, input as never), "Signed");
}
