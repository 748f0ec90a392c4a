import type { OrgContext } from "../auth/context";
import type { Db, Tx } from "../db";
import { AppError, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { getManagedKeyOrThrow } from "./manage-keys";
import { notifyKeysChanged } from "./notify";
import { checkLifetime } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { keyStatus } from "./status";

/**
 * Moves an active (or disabled) sub or master key's expiry (validate the date with key-input's expirySchema
 * first). Expired and revoked keys stay dead: a new date would silently resurrect them.
 * Reminder and expired-event markers are cleared so the reminders fire for the new date.
 */
export async function updateKeyExpiry(db: Db, ctx: OrgContext, input: { keyId: string; expiresAt: Date }): Promise<void> {
  await db.$transaction((tx) => updateKeyExpiryInTx(tx, ctx, input));
}

/** updateKeyExpiry inside the caller's transaction (the API's PATCH applies several changes as one). */
export async function updateKeyExpiryInTx(tx: Tx, ctx: OrgContext, input: { keyId: string; expiresAt: Date }): Promise<void> {
  const key = await getManagedKeyOrThrow(tx, ctx, input.keyId, { lock: true });
  if (key.kind === "USER") throw notFound("Key not found");
  const status = keyStatus(key);
  if (status !== "Active" && status !== "Disabled") throw new AppError(409, "key_not_active", `This key is ${status.toLowerCase()}; it can no longer be changed.`);
  if (key.expiresAt?.getTime() === input.expiresAt.getTime()) return;
  checkLifetime(await getKeyPolicy(tx, ctx.orgId), key.kind, input.expiresAt);
  await tx.accessKey.update({
    where: { id: key.id },
    data: { expiresAt: input.expiresAt, reminder7SentAt: null, reminder1SentAt: null, expiredEventAt: null },
  });
  await writeEvent(tx, {
    type: "key.updated", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
    data: { changes: { expiresAt: { from: key.expiresAt?.toISOString() ?? null, to: input.expiresAt.toISOString() } } },
  });
  await notifyKeysChanged(tx, [key.accessKeyId]);
}
