import type { Actor } from "../auth/context";
import type { Tx } from "../db";
import { writeEvent } from "../events/write-event";

type KeyRef = { id: string; orgId: string; projectId: string; accessKeyId: string };

/**
 * Cancels every pending share link of the given keys, in the transaction that rotates or
 * revokes them: a link sent before the change must not reveal the new secret (rotation) or a
 * dead key (revocation). Each cancelled link gets a key.share_cancelled event saying why.
 */
export async function cancelPendingShares(tx: Tx, keys: KeyRef[], actor: Actor | null, reason: string): Promise<number> {
  if (keys.length === 0) return 0;
  const now = new Date();
  const pending = await tx.shareLink.findMany({
    where: { keyId: { in: keys.map((k) => k.id) }, usedAt: null, cancelledAt: null, expiresAt: { gt: now } },
    select: { id: true, keyId: true, recipientEmail: true },
  });
  if (pending.length === 0) return 0;
  await tx.shareLink.updateMany({ where: { id: { in: pending.map((s) => s.id) }, usedAt: null, cancelledAt: null }, data: { cancelledAt: now } });
  for (const share of pending) {
    const key = keys.find((k) => k.id === share.keyId)!;
    await writeEvent(tx, {
      type: "key.share_cancelled", orgId: key.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId,
      actor, data: { shareId: share.id, recipientEmail: share.recipientEmail, reason },
    });
  }
  return pending.length;
}
