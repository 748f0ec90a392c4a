"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { createBucket, deleteBucket } from "@/lib/buckets/buckets";
import { explainStorageError } from "@/lib/buckets/storage-failure";
import { getDb } from "@/lib/db";
import { deleteProject, renameProject } from "@/lib/projects/projects";
import { formToObject, runAction } from "@/lib/run-action";
import { getRegionStorage } from "@/lib/storage/regions";

const projectPath = (orgId: string, projectId: string) => `/orgs/${orgId}/projects/${projectId}`;

export async function createBucketAction(orgId: string, projectId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  // Checkboxes: "on" when ticked, absent otherwise.
  const input = { ...formToObject(form), projectId, versioning: form.get("versioning") === "on", objectLock: form.get("objectLock") === "on" } as never;
  const regionId = String(form.get("regionId") ?? "");
  const result = await runAction(() => createBucket(getDb(), ctx, input, getRegionStorage).catch(explainStorageError(regionId)), "Bucket created");
  if (result.ok) revalidatePath(projectPath(orgId, projectId));
  return result;
}

export async function deleteBucketAction(orgId: string, projectId: string, bucketId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => deleteBucket(getDb(), ctx, bucketId, getRegionStorage), "Bucket deleted");
  revalidatePath(projectPath(orgId, projectId));
  return result;
}

export async function renameProjectAction(orgId: string, projectId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => renameProject(getDb(), ctx, { projectId, name: String(form.get("name") ?? "") }), "Project renamed");
  if (result.ok) revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}

export async function deleteProjectAction(orgId: string, projectId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => deleteProject(getDb(), ctx, projectId));
  if (result.ok) {
    revalidatePath(`/orgs/${orgId}`, "layout");
    redirect(`/orgs/${orgId}`);
  }
  return result;
}
