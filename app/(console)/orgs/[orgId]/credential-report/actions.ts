"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { applyBulkKeyAction } from "@/lib/reports/bulk-key-action";
import { runAction } from "@/lib/run-action";

/** Disable or revoke the keys selected in the credential report (form fields `action`, `keyIds` comma-separated). */
export async function bulkKeyAction(orgId: string, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId, "keys.manage_all");
  const action = String(form.get("action") ?? "");
  const keyIds = String(form.get("keyIds") ?? "").split(",").filter(Boolean);
  const result = await runAction(async () => {
    const r = await applyBulkKeyAction(getDb(), ctx, { action: action as "disable", keyIds });
    const verb = action === "revoke" ? "Revoked" : "Disabled";
    const failed = r.failed.length ? `; ${r.failed.length} could not be changed (${[...new Set(r.failed.map((f) => f.message))].join(" ")})` : "";
    return `${verb} ${r.done} key${r.done === 1 ? "" : "s"}${failed}`;
  });
  revalidatePath(`/orgs/${orgId}`, "layout");
  return result.ok ? { ok: true, message: result.data } : result;
}
