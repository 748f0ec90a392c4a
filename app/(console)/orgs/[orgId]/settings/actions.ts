"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { updateKeyPolicy } from "@/lib/policies/key-policy";
import { formToObject, runAction } from "@/lib/run-action";

export async function updateKeyPolicyAction(orgId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId, "members.manage");
  const result = await runAction(async () => { await updateKeyPolicy(getDb(), ctx, formToObject(form)); }, "Key policy saved");
  if (result.ok) revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}
