import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { conflict, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { getKeyPolicy } from "../policies/key-policy";
import { getProjectOrThrow, lockProject } from "../projects/projects";
import { cancelPendingShares } from "../shares/cancel-pending-shares";
import { assertRegion, insertKey, type IssuedKey } from "./create-keys";
import { notifyKeysChanged } from "./notify";
import { revocation } from "./status";

/** Region pairs never expire unless the organization's policy caps their lifetime. */
async function pairExpiry(db: Db, orgId: string): Promise<Date | null> {
  const max = (await getKeyPolicy(db, orgId)).maxDaysUser;
  return max === null ? null : new Date(Date.now() + max * 86_400_000);
}

const slotOf = (projectId: string, regionId: string, userId: string) => `${projectId}:${regionId}:${userId}`;

/** One row per configured region: the caller's own live pair there, or null ("Not configured"). */
export async function listMyRegionKeys(db: Db, ctx: OrgContext, projectId: string) {
  requirePermission(ctx, "keys.use");
  await getProjectOrThrow(db, ctx, projectId);
  const [regions, keys] = await Promise.all([
    db.region.findMany({ orderBy: { id: "asc" } }),
    db.accessKey.findMany({
      where: { projectId, kind: "USER", ownerId: ctx.actor.userId, userPairSlot: { not: null } },
      select: { id: true, regionId: true, accessKeyId: true, secretLast4: true, createdAt: true, lastUsedAt: true },
    }),
  ]);
  return regions.map((region) => ({ region, key: keys.find((k) => k.regionId === region.id) ?? null }));
}

export async function createRegionKey(db: Db, ctx: OrgContext, projectId: string, regionId: string): Promise<IssuedKey> {
  requirePermission(ctx, "keys.use");
  await getProjectOrThrow(db, ctx, projectId);
  await assertRegion(db, regionId);
  const userPairSlot = slotOf(projectId, regionId, ctx.actor.userId);
  const expiresAt = await pairExpiry(db, ctx.orgId);
  return db.$transaction(async (tx) => {
    // The unique userPairSlot is the real guard; this check only gives a friendlier message.
    if (await tx.accessKey.findUnique({ where: { userPairSlot } })) throw conflict("You already have a key pair in this region. Reset it instead.");
    return insertKey(tx, ctx, {
      kind: "USER", projectId, regionId, name: `${ctx.actor.email} · ${regionId}`, ownerId: ctx.actor.userId, expiresAt, userPairSlot,
    });
  });
}

/** Replaces the caller's pair in a region: the old pair stops working immediately. */
export async function resetRegionKey(db: Db, ctx: OrgContext, projectId: string, regionId: string): Promise<IssuedKey> {
  requirePermission(ctx, "keys.use");
  await getProjectOrThrow(db, ctx, projectId);
  const userPairSlot = slotOf(projectId, regionId, ctx.actor.userId);
  const expiresAt = await pairExpiry(db, ctx.orgId);
  return db.$transaction(async (tx) => {
    // The project before the key, in the order a project deletion locks them (no deadlock).
    await lockProject(tx, projectId, "share");
    await tx.$queryRaw`SELECT id FROM "AccessKey" WHERE "userPairSlot" = ${userPairSlot} FOR UPDATE`;
    const old = await tx.accessKey.findUnique({ where: { userPairSlot } });
    if (!old) throw notFound("You have no key pair in this region yet.");
    await tx.accessKey.update({ where: { id: old.id }, data: { ...revocation(), userPairSlot: null } });
    await writeEvent(tx, { type: "key.revoked", orgId: ctx.orgId, projectId, keyId: old.id, accessKeyId: old.accessKeyId, actor: ctx.actor, data: { kind: "USER", reason: "reset" } });
    await cancelPendingShares(tx, [old], ctx.actor, "key pair reset");
    await notifyKeysChanged(tx, [old.accessKeyId]);
    return insertKey(tx, ctx, { kind: "USER", projectId, regionId, name: old.name, ownerId: ctx.actor.userId, expiresAt, userPairSlot });
  });
}
