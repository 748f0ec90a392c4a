import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { isAppError } from "../errors";
import { setKeyDisabled } from "../keys/disable-key";
import { revokeKey } from "../keys/manage-keys";

export const bulkKeyActionSchema = z.object({
  action: z.enum(["disable", "revoke"], { error: "Choose disable or revoke." }),
  keyIds: z.array(z.string().min(1).max(64)).min(1, "Select at least one key.").max(500, "Select at most 500 keys at a time."),
});

export type BulkKeyResult = { done: number; failed: { keyId: string; message: string }[] };

/**
 * Disables or revokes the selected keys of the credential report, one transaction per key
 * through the same functions as the key pages (each with its event and gateway notification),
 * so one key that cannot be changed (a region key pair cannot be revoked) does not stop the others.
 */
export async function applyBulkKeyAction(db: Db, ctx: OrgContext, input: z.input<typeof bulkKeyActionSchema>): Promise<BulkKeyResult> {
  requirePermission(ctx, "keys.manage_all");
  const { action, keyIds } = bulkKeyActionSchema.parse(input);
  const result: BulkKeyResult = { done: 0, failed: [] };
  for (const keyId of new Set(keyIds)) {
    try {
      if (action === "disable") await setKeyDisabled(db, ctx, keyId, true);
      else await revokeKey(db, ctx, keyId);
      result.done++;
    } catch (err) {
      if (!isAppError(err)) throw err;
      result.failed.push({ keyId, message: err.message });
    }
  }
  return result;
}
