import type { OrgContext } from "../auth/context";
import type { Tx } from "../db";
import { getManagedKeyOrThrow } from "../keys/manage-keys";

export type PendingShare = {
  id: string;
  recipientEmail: string;
  message: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** Who shared it (name, else email); null when that user no longer exists. */
  sharedBy: string | null;
};

/**
 * Links of a key that can still be opened: not used, not cancelled, not expired. Visible to
 * whoever may manage the key (404 otherwise, like the key itself). Never the token.
 */
export async function listPendingShares(db: Tx, ctx: OrgContext, keyId: string, now = new Date()): Promise<PendingShare[]> {
  const key = await getManagedKeyOrThrow(db, ctx, keyId);
  const shares = await db.shareLink.findMany({
    where: { keyId: key.id, usedAt: null, cancelledAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, recipientEmail: true, message: true, createdAt: true, expiresAt: true, createdById: true },
  });
  const sharerIds = [...new Set(shares.map((s) => s.createdById))];
  const sharers = sharerIds.length
    ? await db.user.findMany({ where: { id: { in: sharerIds } }, select: { id: true, name: true, email: true } })
    : [];
  const nameOf = new Map(sharers.map((u) => [u.id, u.name || u.email]));
  return shares.map(({ createdById, ...s }) => ({ ...s, sharedBy: nameOf.get(createdById) ?? null }));
}
