"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { endOverlap } from "@/lib/keys/rotate-key";
import { updateKeyDescription } from "@/lib/keys/update-key-description";
import { runAction } from "@/lib/run-action";

export async function endOverlapAction(orgId: string, keyId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => endOverlap(getDb(), ctx, keyId), "Overlap ended: the previous secret no longer works");
  revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}

export async function updateKeyDescriptionAction(orgId: string, keyId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => updateKeyDescription(getDb(), ctx, keyId, form.get("description") ?? ""), "Description saved");
  if (result.ok) revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}
