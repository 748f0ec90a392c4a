import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { badRequest, isUniqueViolation } from "../errors";
import type { KeyKind } from "../generated/prisma/enums";
import { writeEvent } from "../events/write-event";
import { checkLifetime, checkMayCreateSub, checkSubScope } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getProjectOrThrow, lockProject } from "../projects/projects";
import { expirySchema, keyDescriptionSchema, keyNameSchema, keyNameSlot, keyNameTaken } from "./key-input";
import { importedKeyMaterial, newKeyMaterial } from "./keyring";
import { notifyKeysChanged } from "./notify";
import { scopeInputSchema, resolveScope } from "./scope-input";

const ownerIdSchema = z.string().trim().optional().transform((v) => v || undefined);

export const createMasterKeySchema = z.object({
  projectId: z.string().min(1),
  ownerId: ownerIdSchema,
  name: keyNameSchema,
  description: keyDescriptionSchema,
  regionId: z.string().min(1, "Choose a region."),
}).and(expirySchema.transform((expiresAt) => ({ expiresAt })));

export const createSubKeySchema = z.object({
  projectId: z.string().min(1),
  ownerId: ownerIdSchema,
  name: keyNameSchema,
  description: keyDescriptionSchema,
  regionId: z.string().min(1, "Choose a region."),
}).and(scopeInputSchema).and(expirySchema.transform((expiresAt) => ({ expiresAt })));

/** The result of every create/rotate/reset: the secret exists only in this return value. */
export type IssuedKey = { id: string; accessKeyId: string; secret: string; regionId: string; name: string };

type NewKey = {
  kind: KeyKind; projectId: string; regionId: string; name: string; ownerId: string; expiresAt: Date | null;
  permissions?: string[]; allBuckets?: boolean; bucketIds?: string[]; prefix?: string | null; allowedCidrs?: string[];
  userPairSlot?: string | null; description?: string | null;
  /** An imported pair (lib/keys/import-key.ts): this id and secret instead of fresh ones. */
  imported?: { accessKeyId: string; secret: string };
};

/** Inserts a key with its sealed secret, bucket scope, event and cache notification, in `tx`. */
export async function insertKey(tx: Tx, ctx: OrgContext, k: NewKey): Promise<IssuedKey> {
  // A project being deleted meanwhile: 404 here, or the deletion waits and takes this key with it.
  await lockProject(tx, k.projectId, "share");
  const material = k.imported ? importedKeyMaterial(k.imported.accessKeyId, k.imported.secret) : newKeyMaterial();
  // Region key pairs are named after their owner and keep that name across resets.
  const nameSlot = k.kind === "USER" ? null : keyNameSlot(k.projectId, k.name);
  // The unique index is the real guard; this check only keeps the transaction usable for a clear message.
  if (nameSlot && (await tx.accessKey.findUnique({ where: { nameSlot }, select: { id: true } }))) throw keyNameTaken(k.name);
  const key = await tx.accessKey.create({
    data: {
      kind: k.kind, orgId: ctx.orgId, projectId: k.projectId, regionId: k.regionId, name: k.name,
      accessKeyId: material.accessKeyId, sealedSecret: material.sealedSecret, secretLast4: material.last4,
      permissions: k.permissions ?? [], allBuckets: k.allBuckets ?? true, prefix: k.prefix ?? null,
      allowedCidrs: k.allowedCidrs ?? [], ownerId: k.ownerId, createdById: ctx.actor.userId,
      expiresAt: k.expiresAt, userPairSlot: k.userPairSlot ?? null, description: k.description ?? null, nameSlot, imported: !!k.imported,
      buckets: k.bucketIds?.length ? { create: k.bucketIds.map((bucketId) => ({ bucketId })) } : undefined,
    },
  });
  await writeEvent(tx, {
    type: k.imported ? "key.imported" : "key.created", orgId: ctx.orgId, projectId: k.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
    data: { kind: k.kind, name: k.name, regionId: k.regionId, expiresAt: k.expiresAt?.toISOString() ?? null, permissions: key.permissions, allBuckets: key.allBuckets, bucketIds: k.bucketIds ?? [], prefix: key.prefix, allowedCidrs: key.allowedCidrs },
  });
  await notifyKeysChanged(tx, [key.accessKeyId]);
  return { id: key.id, accessKeyId: key.accessKeyId, secret: material.secret, regionId: key.regionId, name: key.name };
}

/** Two creations with one name at the same moment: the unique index refuses the second. */
const nameRace = (name: string) => (err: unknown): never => {
  throw isUniqueViolation(err) ? keyNameTaken(name) : err;
};

export async function assertRegion(db: Tx, regionId: string) {
  const region = await db.region.findUnique({ where: { id: regionId } });
  if (!region) throw badRequest("Unknown region.", { regionId: ["Choose a configured region."] });
  return region;
}

/**
 * Who owns a new key: the creator, or (ADMIN only) another member of the organization whose
 * role may hold that kind of key. The owner's role is what demotion and removal act on.
 */
export async function resolveKeyOwner(db: Tx, ctx: OrgContext, kind: "MASTER" | "SUB", ownerId: string | undefined): Promise<string> {
  if (!ownerId || ownerId === ctx.actor.userId) return ctx.actor.userId;
  requirePermission(ctx, "keys.manage_all");
  const m = await db.membership.findUnique({ where: { orgId_userId: { orgId: ctx.orgId, userId: ownerId } }, select: { role: true } });
  const allowed = kind === "MASTER" ? m?.role === "ADMIN" : m?.role === "ADMIN" || m?.role === "MEMBER_PLUS";
  if (!allowed) throw badRequest("Choose an owner who may hold this key.", { ownerId: [kind === "MASTER" ? "Master keys belong to admins." : "Sub keys belong to admins or Member+."] });
  return ownerId;
}

/** Master key: ADMIN only; full access to every bucket of the project in its region. */
export async function createMasterKey(db: Db, ctx: OrgContext, input: z.input<typeof createMasterKeySchema>): Promise<IssuedKey> {
  requirePermission(ctx, "keys.master");
  const data = createMasterKeySchema.parse(input);
  await getProjectOrThrow(db, ctx, data.projectId);
  await assertRegion(db, data.regionId);
  checkLifetime(await getKeyPolicy(db, ctx.orgId), "MASTER", data.expiresAt);
  const ownerId = await resolveKeyOwner(db, ctx, "MASTER", data.ownerId);
  return db.$transaction((tx) =>
    insertKey(tx, ctx, { kind: "MASTER", projectId: data.projectId, regionId: data.regionId, name: data.name, ownerId, expiresAt: data.expiresAt, description: data.description }),
  ).catch(nameRace(data.name));
}

/** Sub key: ADMIN or MEMBER_PLUS; never more rights than the creator holds. */
export async function createSubKey(db: Db, ctx: OrgContext, input: z.input<typeof createSubKeySchema>): Promise<IssuedKey> {
  requirePermission(ctx, "keys.use");
  const data = createSubKeySchema.parse(input);
  await getProjectOrThrow(db, ctx, data.projectId);
  const policy = await getKeyPolicy(db, ctx.orgId);
  checkMayCreateSub(policy, ctx);
  await assertRegion(db, data.regionId);
  const scope = await resolveScope(db, ctx, { ...data, projectId: data.projectId, regionId: data.regionId });
  checkSubScope(policy, scope);
  checkLifetime(policy, "SUB", data.expiresAt);
  const ownerId = await resolveKeyOwner(db, ctx, "SUB", data.ownerId);
  return db.$transaction((tx) =>
    insertKey(tx, ctx, { kind: "SUB", projectId: data.projectId, regionId: data.regionId, name: data.name, ownerId, expiresAt: data.expiresAt, description: data.description, ...scope }),
  ).catch(nameRace(data.name));
}
