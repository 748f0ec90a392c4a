import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { AppError } from "../errors";
import { writeEvent } from "../events/write-event";
import { getManagedKeyOrThrow } from "./manage-keys";
import { notifyKeysChanged } from "./notify";
import { keyStatus } from "./status";

/**
 * Switches a key off (disabled = true) or back on. Reversible, unlike revocation: enabling
 * restores the key exactly as it was (same secret, scope and expiry). Any kind of key the
 * caller manages. Asking for the state a key is already in changes nothing and writes no event.
 * The gateway hears of it through the same NOTIFY as a revocation, on commit.
 */
export async function setKeyDisabled(db: Db, ctx: OrgContext, keyId: string, disabled: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await getManagedKeyOrThrow(tx, ctx, keyId, { lock: true });
    const status = keyStatus(key);
    if (status === "Revoked" || status === "Expired") {
      throw new AppError(409, "key_not_active", `This key is ${status.toLowerCase()}; it can no longer be ${disabled ? "disabled" : "enabled"}.`);
    }
    if ((key.disabledAt !== null) === disabled) return;
    await tx.accessKey.update({ where: { id: key.id }, data: { disabledAt: disabled ? new Date() : null } });
    await writeEvent(tx, {
      type: disabled ? "key.disabled" : "key.enabled", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId,
      actor: ctx.actor, data: { kind: key.kind },
    });
    await notifyKeysChanged(tx, [key.accessKeyId]);
  });
}
