import { z } from "zod";
import type { OrgContext } from "../auth/context";
import type { Db, Tx } from "../db";
import { AppError } from "../errors";
import { writeEvent } from "../events/write-event";
import { cancelPendingShares } from "../shares/cancel-pending-shares";
import type { IssuedKey } from "./create-keys";
import { newKeyMaterial } from "./keyring";
import { getManagedKeyOrThrow } from "./manage-keys";
import { notifyKeysChanged } from "./notify";
import { NO_PREVIOUS_SECRET, keyStatus } from "./status";

const HOUR = 3_600_000;

/** How long the previous secret keeps working after a rotation. */
export const OVERLAP_PRESETS = [
  { value: "none", label: "Stop the old secret now", ms: 0 },
  { value: "1h", label: "Keep the old secret 1 hour", ms: HOUR },
  { value: "24h", label: "Keep the old secret 24 hours", ms: 24 * HOUR },
  { value: "7d", label: "Keep the old secret 7 days", ms: 7 * 24 * HOUR },
] as const;
export const overlapSchema = z.enum(["none", "1h", "24h", "7d"], { error: "Choose how long the old secret keeps working." }).default("none");
export type OverlapChoice = z.output<typeof overlapSchema>;
export const overlapMs = (choice: OverlapChoice) => OVERLAP_PRESETS.find((p) => p.value === choice)!.ms;

type KeyRow = Awaited<ReturnType<typeof getManagedKeyOrThrow>>;

/** Whether the key holds a previous secret whose window is still open at `now`. */
export const overlapOpen = (key: { previousSecretUntil: Date | null }, now = new Date()) =>
  key.previousSecretUntil !== null && key.previousSecretUntil > now;

async function recordOverlapEnded(tx: Tx, ctx: OrgContext, key: KeyRow, reason: "ended_now" | "rotated_again") {
  await writeEvent(tx, {
    type: "key.overlap_ended", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
    data: { last4: key.previousSecretLast4, reason },
  });
}

/**
 * Same access key id, new secret. With `overlapMs` > 0 the secret being replaced stays valid
 * until now + overlapMs (never beyond the key's expiry), sealed like the current one; the
 * gateway tries the current secret first, then that one while the window is open. Rotating
 * again while a window is open ends that window first (the oldest secret is destroyed), so a
 * key never has more than two working secrets.
 */
export async function rotateKey(db: Db, ctx: OrgContext, keyId: string, opts: { overlapMs?: number } = {}): Promise<IssuedKey> {
  const overlap = Math.max(0, opts.overlapMs ?? 0);
  return db.$transaction(async (tx) => {
    const key = await getManagedKeyOrThrow(tx, ctx, keyId, { lock: true });
    const status = keyStatus(key);
    if (status !== "Active") throw new AppError(409, "key_not_active", `This key is ${status.toLowerCase()}; it cannot be rotated.`);
    const now = new Date();
    if (overlapOpen(key, now)) await recordOverlapEnded(tx, ctx, key, "rotated_again");
    let until = overlap > 0 ? new Date(now.getTime() + overlap) : null;
    if (until && key.expiresAt && key.expiresAt < until) until = key.expiresAt;
    const material = newKeyMaterial(key.accessKeyId);
    const previous = until
      ? { previousSealedSecret: key.sealedSecret, previousSecretLast4: key.secretLast4, previousSecretUntil: until }
      : NO_PREVIOUS_SECRET;
    await tx.accessKey.update({
      where: { id: key.id },
      data: { sealedSecret: material.sealedSecret, secretLast4: material.last4, rotatedAt: now, ...previous },
    });
    await writeEvent(tx, {
      type: "key.rotated", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
      data: { last4: material.last4, ...(until ? { previousLast4: key.secretLast4, previousValidUntil: until.toISOString() } : {}) },
    });
    // A link sent before the rotation must not reveal the new secret.
    await cancelPendingShares(tx, [key], ctx.actor, "key rotated");
    await notifyKeysChanged(tx, [key.accessKeyId]);
    return { id: key.id, accessKeyId: key.accessKeyId, secret: material.secret, regionId: key.regionId, name: key.name };
  });
}

/** "End overlap now": the previous secret stops working on the next request and is destroyed. */
export async function endOverlap(db: Db, ctx: OrgContext, keyId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await getManagedKeyOrThrow(tx, ctx, keyId, { lock: true });
    if (key.previousSealedSecret === null) return;
    await tx.accessKey.update({ where: { id: key.id }, data: NO_PREVIOUS_SECRET });
    if (overlapOpen(key)) await recordOverlapEnded(tx, ctx, key, "ended_now");
    await notifyKeysChanged(tx, [key.accessKeyId]);
  });
}
