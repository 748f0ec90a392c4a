import type { Actor } from "../auth/context";
import type { Tx } from "../db";
import type { KeyKind } from "../generated/prisma/enums";
import { writeEvent } from "../events/write-event";
import { cancelPendingShares } from "../shares/cancel-pending-shares";
import { notifyKeysChanged } from "./notify";
import { revocation } from "./status";

/**
 * Revokes a member's live keys of the given kinds in one organization. Runs inside the
 * transaction that removes or demotes the member, so no window exists where the member is
 * gone but their keys still work.
 */
export async function revokeMemberKeys(
  tx: Tx,
  args: { orgId: string; userId: string; kinds: KeyKind[]; actor: Actor; reason: string },
): Promise<number> {
  const keys = await tx.accessKey.findMany({
    where: { orgId: args.orgId, ownerId: args.userId, kind: { in: args.kinds }, revokedAt: null },
    select: { id: true, projectId: true, accessKeyId: true, kind: true },
  });
  if (keys.length === 0) return 0;
  await tx.accessKey.updateMany({
    where: { id: { in: keys.map((k) => k.id) } },
    data: { ...revocation(), userPairSlot: null },
  });
  for (const key of keys) {
    await writeEvent(tx, {
      type: "key.revoked",
      orgId: args.orgId,
      projectId: key.projectId,
      keyId: key.id,
      accessKeyId: key.accessKeyId,
      actor: args.actor,
      data: { reason: args.reason, kind: key.kind },
    });
  }
  await cancelPendingShares(tx, keys.map((k) => ({ ...k, orgId: args.orgId })), args.actor, `key revoked: ${args.reason}`);
  await notifyKeysChanged(tx, keys.map((k) => k.accessKeyId));
  return keys.length;
}
