"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { issuedKeyView } from "@/lib/keys/issued-view";
import { createRegionKey, resetRegionKey } from "@/lib/keys/region-keys";
import { runAction } from "@/lib/run-action";

export async function createRegionKeyAction(orgId: string, projectId: string, regionId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(async () => issuedKeyView(await createRegionKey(getDb(), ctx, projectId, regionId)), "Key pair created");
  revalidatePath(`/orgs/${orgId}/projects/${projectId}/my-keys`);
  return result;
}

export async function resetRegionKeyAction(orgId: string, projectId: string, regionId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(async () => issuedKeyView(await resetRegionKey(getDb(), ctx, projectId, regionId)), "Key pair reset: the old pair no longer works");
  revalidatePath(`/orgs/${orgId}/projects/${projectId}/my-keys`);
  return result;
}
