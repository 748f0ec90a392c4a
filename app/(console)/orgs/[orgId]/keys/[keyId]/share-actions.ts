"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { formatAbsolute } from "@/components/ui/relative-time";
import { cancelShare } from "@/lib/shares/cancel-share";
import { createShare, shareDepsFromEnv } from "@/lib/shares/create-share";
import { formToObject, runAction } from "@/lib/run-action";

const keyPath = (orgId: string, keyId: string) => `/orgs/${orgId}/keys/${keyId}`;

/** "Share by email": creates the one-time link and sends it. The token never comes back here. */
export async function shareKeyAction(orgId: string, keyId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => createShare(getDb(), ctx, { ...formToObject(form), keyId } as never, shareDepsFromEnv()));
  if (!result.ok || !result.data) return result;
  revalidatePath(keyPath(orgId, keyId));
  const { recipientEmail, expiresAt } = result.data;
  return { ok: true, message: `Share link sent to ${recipientEmail}; it works once, until ${formatAbsolute(expiresAt)}.` };
}

export async function cancelShareAction(orgId: string, keyId: string, shareId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => cancelShare(getDb(), ctx, shareId), "Share link cancelled");
  revalidatePath(keyPath(orgId, keyId));
  return result;
}
