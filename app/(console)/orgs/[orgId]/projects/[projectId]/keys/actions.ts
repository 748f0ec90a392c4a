"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { createMasterKey, createSubKey } from "@/lib/keys/create-keys";
import { importKey } from "@/lib/keys/import-key";
import { issuedKeyView } from "@/lib/keys/issued-view";
import { setKeyDisabled } from "@/lib/keys/disable-key";
import { revokeKey, updateSubKey } from "@/lib/keys/manage-keys";
import { overlapMs, overlapSchema, rotateKey } from "@/lib/keys/rotate-key";
import { formToObject, runAction } from "@/lib/run-action";

const keysPath = (orgId: string, projectId: string) => `/orgs/${orgId}/projects/${projectId}/keys`;

export async function createMasterKeyAction(orgId: string, projectId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(async () => issuedKeyView(await createMasterKey(getDb(), ctx, { ...formToObject(form), projectId } as never)), "Master key created");
  if (result.ok) revalidatePath(keysPath(orgId, projectId));
  return result;
}

export async function createSubKeyAction(orgId: string, projectId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const input = { ...formToObject(form), permissions: form.getAll("permissions"), bucketIds: form.getAll("bucketIds"), projectId };
  const result = await runAction(async () => issuedKeyView(await createSubKey(getDb(), ctx, input as never)), "Sub key created");
  if (result.ok) revalidatePath(keysPath(orgId, projectId));
  return result;
}

/** ADMIN only (checked in importKey): an existing pair from another S3 service. The secret is not sent back. */
export async function importKeyAction(orgId: string, projectId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const input = { ...formToObject(form), permissions: form.getAll("permissions"), bucketIds: form.getAll("bucketIds"), projectId };
  const result = await runAction(async () => {
    await importKey(getDb(), ctx, input as never);
  }, "Key pair imported");
  if (result.ok) revalidatePath(keysPath(orgId, projectId));
  return result;
}

export async function updateSubKeyAction(orgId: string, keyId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const input = { ...formToObject(form), permissions: form.getAll("permissions"), bucketIds: form.getAll("bucketIds"), keyId };
  const result = await runAction(() => updateSubKey(getDb(), ctx, input as never), "Key updated");
  if (result.ok) revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}

/** `overlap`: how long the old secret keeps working ("none", "1h", "24h", "7d"). */
export async function rotateKeyAction(orgId: string, keyId: string, overlap?: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(async () => {
    const choice = overlapSchema.parse(overlap);
    return issuedKeyView(await rotateKey(getDb(), ctx, keyId, { overlapMs: overlapMs(choice) }));
  }, overlap && overlap !== "none" ? "Key rotated: the old secret keeps working until the overlap ends" : "Key rotated: the old secret no longer works");
  revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}

export async function revokeKeyAction(orgId: string, keyId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => revokeKey(getDb(), ctx, keyId), "Key revoked");
  revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}

export async function setKeyDisabledAction(orgId: string, keyId: string, disabled: boolean): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => setKeyDisabled(getDb(), ctx, keyId, disabled), disabled ? "Key disabled" : "Key enabled");
  revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}
