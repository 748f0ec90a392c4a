import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { keyFlags } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { activeKeyWhere, keyStatus } from "./status";

/** Live (not revoked, not expired) keys per member and kind, for the role-change warning. */
export async function countLiveKeysByOwner(db: Db, ctx: OrgContext) {
  requirePermission(ctx, "members.manage");
  const rows = await db.accessKey.groupBy({
    by: ["ownerId", "kind"],
    where: { orgId: ctx.orgId, ...activeKeyWhere() },
    _count: { _all: true },
  });
  const out: Record<string, { MASTER: number; SUB: number; USER: number }> = {};
  for (const r of rows) (out[r.ownerId] ??= { MASTER: 0, SUB: 0, USER: 0 })[r.kind] = r._count._all;
  return out;
}

/** A member's keys in this organization (every project), newest first: the member page. */
export async function listMemberKeys(db: Db, ctx: OrgContext, userId: string) {
  requirePermission(ctx, "keys.manage_all");
  const rows = await db.accessKey.findMany({
    where: { orgId: ctx.orgId, ownerId: userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: {
      id: true, kind: true, name: true, accessKeyId: true, regionId: true, createdAt: true, expiresAt: true, revokedAt: true,
      disabledAt: true, rotatedAt: true, allBuckets: true, prefix: true, allowedCidrs: true, previousSecretUntil: true,
      lastUsedAt: true, project: { select: { id: true, name: true } },
    },
  });
  const policy = await getKeyPolicy(db, ctx.orgId);
  const now = new Date();
  return rows.map((k) => ({ ...k, status: keyStatus(k, now), ...keyFlags(policy, k, now) }));
}
