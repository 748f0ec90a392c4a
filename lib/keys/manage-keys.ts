import { z } from "zod";
import type { OrgContext } from "../auth/context";
import type { Db, Tx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { checkSubScope } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { cancelPendingShares } from "../shares/cancel-pending-shares";
import { keyNameSchema, keyNameSlot, keyNameTaken } from "./key-input";
import { notifyKeysChanged } from "./notify";
import { resolveScope, scopeInputSchema } from "./scope-input";
import { keyStatus, revocation } from "./status";
import { keyVisibilityWhere } from "./visibility";

/**
 * Row lock on one key until the transaction ends. Every mutation of a key takes it before
 * reading the key, so concurrent mutations take turns and each sees what the one before left
 * (READ COMMITTED alone lets two rotations read the same secret, or a rotation write a
 * previous secret onto a key revoked meanwhile).
 */
export async function lockKey(tx: Tx, keyId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "AccessKey" WHERE "id" = ${keyId} FOR UPDATE`;
}

/**
 * A key the caller may manage: 404 when it is not visible to them (other org, other creator).
 * `lock: true` (inside a transaction that changes the key) reads it under lockKey; reads that
 * change nothing must not lock.
 */
export async function getManagedKeyOrThrow(db: Tx, ctx: OrgContext, keyId: string, opts: { lock?: boolean } = {}) {
  if (opts.lock) await lockKey(db, keyId);
  const key = await db.accessKey.findFirst({ where: { AND: [{ id: keyId }, keyVisibilityWhere(ctx)] } });
  if (!key) throw notFound("Key not found");
  if (key.kind === "MASTER" && ctx.role !== "ADMIN") throw notFound("Key not found");
  return key;
}

const gone = (status: string) => new AppError(409, "key_not_active", `This key is ${status.toLowerCase()}; it can no longer be changed.`);

/** Revocation cannot be undone. Region key pairs are reset, not revoked. */
export async function revokeKey(db: Db, ctx: OrgContext, keyId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await getManagedKeyOrThrow(tx, ctx, keyId, { lock: true });
    if (key.kind === "USER") throw new AppError(409, "not_revocable", "Region key pairs cannot be deleted; reset the pair instead.");
    if (key.revokedAt) return;
    await tx.accessKey.update({ where: { id: key.id }, data: revocation() });
    await writeEvent(tx, { type: "key.revoked", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor, data: { kind: key.kind } });
    await cancelPendingShares(tx, [key], ctx.actor, "key revoked");
    await notifyKeysChanged(tx, [key.accessKeyId]);
  });
}

export const updateSubKeySchema = z.object({ keyId: z.string().min(1), name: keyNameSchema }).and(scopeInputSchema);

/** Edits a sub key's name and limits; key.updated records exactly what changed. */
export async function updateSubKey(db: Db, ctx: OrgContext, input: z.input<typeof updateSubKeySchema>): Promise<void> {
  await db.$transaction((tx) => updateSubKeyInTx(tx, ctx, input));
}

/** updateSubKey inside the caller's transaction (the API's PATCH applies several changes as one). */
export async function updateSubKeyInTx(tx: Tx, ctx: OrgContext, input: z.input<typeof updateSubKeySchema>): Promise<void> {
  const data = updateSubKeySchema.parse(input);
  const key = await getManagedKeyOrThrow(tx, ctx, data.keyId, { lock: true });
  if (key.kind !== "SUB") throw notFound("Key not found");
  const status = keyStatus(key);
  if (status !== "Active" && status !== "Disabled") throw gone(status);
  const scope = await resolveScope(tx, ctx, { ...data, projectId: key.projectId, regionId: key.regionId });
  checkSubScope(await getKeyPolicy(tx, ctx.orgId), scope);
  const before = await tx.accessKeyBucket.findMany({ where: { keyId: key.id }, select: { bucketId: true } });
  const changes = diffScope(
    { name: key.name, permissions: key.permissions, allBuckets: key.allBuckets, bucketIds: before.map((b) => b.bucketId), prefix: key.prefix, allowedCidrs: key.allowedCidrs },
    { name: data.name, ...scope },
  );
  if (Object.keys(changes).length === 0) return;
  const nameSlot = keyNameSlot(key.projectId, data.name);
  if (await tx.accessKey.findFirst({ where: { nameSlot, id: { not: key.id } }, select: { id: true } })) throw keyNameTaken(data.name);
  await tx.accessKeyBucket.deleteMany({ where: { keyId: key.id } });
  // The check above misses a rename of another key committed meanwhile: the unique index does
  // not, and its refusal is the same 409 as a creation's (not a 500).
  await tx.accessKey.update({
    where: { id: key.id },
    data: {
      name: data.name, nameSlot, permissions: scope.permissions, allBuckets: scope.allBuckets, prefix: scope.prefix, allowedCidrs: scope.allowedCidrs,
      buckets: { create: scope.bucketIds.map((bucketId) => ({ bucketId })) },
    },
  }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? keyNameTaken(data.name) : err;
  });
  await writeEvent(tx, { type: "key.updated", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor, data: { changes: changes as Prisma.InputJsonObject } });
  await notifyKeysChanged(tx, [key.accessKeyId]);
}

type ScopeState = { name: string; permissions: string[]; allBuckets: boolean; bucketIds: string[]; prefix: string | null; allowedCidrs: string[] };

export function diffScope(before: ScopeState, after: ScopeState): Record<string, { from: unknown; to: unknown }> {
  const norm = (v: unknown) => (Array.isArray(v) ? JSON.stringify([...v].sort()) : JSON.stringify(v));
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of Object.keys(before) as (keyof ScopeState)[]) {
    if (norm(before[field]) !== norm(after[field])) out[field] = { from: before[field], to: after[field] };
  }
  return out;
}
