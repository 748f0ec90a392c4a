"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { createOrgToken, revokeOrgToken } from "@/lib/org-tokens/org-tokens";
import { formToObject, runAction } from "@/lib/run-action";

const path = (orgId: string) => `/orgs/${orgId}/settings/api-tokens`;

/** The token travels to the browser once, in this result; only its hash is stored. */
export async function createOrgTokenAction(orgId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId, "members.manage");
  const result = await runAction(async () => {
    const t = await createOrgToken(getDb(), ctx, formToObject(form) as never);
    return { name: t.name, token: t.token, expiresAt: t.expiresAt.toISOString() };
  }, "API token created");
  if (result.ok) revalidatePath(path(orgId));
  return result;
}

export async function revokeOrgTokenAction(orgId: string, tokenId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId, "members.manage");
  const result = await runAction(async () => { await revokeOrgToken(getDb(), ctx, tokenId); }, "API token revoked");
  revalidatePath(path(orgId));
  return result;
}
