import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { keyVisibilityWhere } from "../keys/visibility";

const alreadyUsed = () => new AppError(409, "share_used", "This link has already been used; there is nothing left to cancel.");

/**
 * Cancels a pending share link so it reveals nothing. Allowed to whoever may manage the key
 * (the visibility filter is part of the query, so another organization's share is a 404).
 * Cancelling twice is harmless; a used or expired link cannot be cancelled.
 */
export async function cancelShare(db: Db, ctx: OrgContext, shareId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const share = await tx.shareLink.findFirst({ where: { id: shareId, key: keyVisibilityWhere(ctx) }, include: { key: true } });
    if (!share || share.key.kind === "MASTER") throw notFound("Share not found");
    if (share.cancelledAt) return;
    if (share.usedAt) throw alreadyUsed();
    const now = new Date();
    if (share.expiresAt <= now) throw new AppError(409, "share_expired", "This link has already expired; it can no longer be opened.");
    // Conditional, like retrieval: whichever of cancel and reveal takes the row first wins.
    const res = await tx.shareLink.updateMany({ where: { id: share.id, usedAt: null, cancelledAt: null }, data: { cancelledAt: now } });
    if (res.count !== 1) {
      const current = await tx.shareLink.findUniqueOrThrow({ where: { id: share.id }, select: { usedAt: true } });
      if (current.usedAt) throw alreadyUsed();
      return; // cancelled concurrently
    }
    await writeEvent(tx, {
      type: "key.share_cancelled", orgId: ctx.orgId, projectId: share.key.projectId, keyId: share.keyId, accessKeyId: share.key.accessKeyId,
      actor: ctx.actor, data: { shareId: share.id, recipientEmail: share.recipientEmail },
    });
  });
}
