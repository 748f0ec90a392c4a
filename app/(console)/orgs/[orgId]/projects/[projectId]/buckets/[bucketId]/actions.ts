"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { setBucketCors } from "@/lib/buckets/bucket-cors";
import { setBucketVersioning, setDefaultRetention } from "@/lib/buckets/bucket-settings";
import { corsRulesFromJson } from "@/lib/buckets/cors-json";
import { getDb } from "@/lib/db";
import { formToObject, runAction } from "@/lib/run-action";
import { getRegionStorage } from "@/lib/storage/regions";

const bucketPath = (orgId: string, projectId: string, bucketId: string) => `/orgs/${orgId}/projects/${projectId}/buckets/${bucketId}`;

export async function saveBucketCorsAction(orgId: string, projectId: string, bucketId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => setBucketCors(getDb(), ctx, bucketId, corsRulesFromJson(String(form.get("rules") ?? ""))), "CORS rules saved");
  if (result.ok) revalidatePath(bucketPath(orgId, projectId, bucketId));
  return result;
}

export async function removeBucketCorsAction(orgId: string, projectId: string, bucketId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => setBucketCors(getDb(), ctx, bucketId, null), "CORS rules removed");
  revalidatePath(bucketPath(orgId, projectId, bucketId));
  return result;
}

export async function setBucketVersioningAction(orgId: string, projectId: string, bucketId: string, state: "Enabled" | "Suspended"): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => setBucketVersioning(getDb(), ctx, bucketId, state, getRegionStorage),
    state === "Enabled" ? "Versioning enabled" : "Versioning suspended");
  revalidatePath(bucketPath(orgId, projectId, bucketId));
  return result;
}

export async function setDefaultRetentionAction(orgId: string, projectId: string, bucketId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => setDefaultRetention(getDb(), ctx, bucketId, formToObject(form), getRegionStorage), "Default retention saved");
  if (result.ok) revalidatePath(bucketPath(orgId, projectId, bucketId));
  return result;
}
