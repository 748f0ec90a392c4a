import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { keyFlags } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getManagedKeyOrThrow } from "./manage-keys";
import { keyStatus } from "./status";

/** Everything the key detail page shows, never the secret (only its last 4). */
export async function getKeyDetail(db: Db, ctx: OrgContext, keyId: string) {
  const key = await getManagedKeyOrThrow(db, ctx, keyId);
  const [project, owner, creator, buckets, region, events, policy] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: key.projectId }, select: { id: true, name: true } }),
    db.user.findUnique({ where: { id: key.ownerId }, select: { name: true, email: true } }),
    db.user.findUnique({ where: { id: key.createdById }, select: { name: true, email: true } }),
    db.bucket.findMany({ where: { keys: { some: { keyId: key.id } } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.region.findUniqueOrThrow({ where: { id: key.regionId } }),
    db.event.findMany({ where: { keyId: key.id, type: { notIn: ["key.request", "api.request"] } }, orderBy: { id: "desc" }, take: 50 }),
    getKeyPolicy(db, key.orgId),
  ]);
  const { sealedSecret: _sealed, previousSealedSecret: _previous, userPairSlot: _slot, ...safe } = key;
  const status = keyStatus(key);
  const policyFlags = keyFlags(policy, key);
  return { key: { ...safe, status }, policyFlags, project, owner, creator, buckets, region, events };
}
