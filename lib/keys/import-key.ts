// Import of an existing key pair (migrating from MinIO, Garage, Ceph or AWS-style keys): the
// access key id and secret were chosen elsewhere and are kept as they are, so clients keep
// working after the switch. ADMIN only, as master or sub key of a project.
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { conflict, isUniqueViolation } from "../errors";
import { checkLifetime, checkSubScope } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getProjectOrThrow } from "../projects/projects";
import { assertRegion, type IssuedKey, insertKey, resolveKeyOwner } from "./create-keys";
import { expirySchema, keyDescriptionSchema, keyNameSchema, keyNameTaken } from "./key-input";
import { resolveScope, scopeInputSchema } from "./scope-input";

/** AWS-style ids (AKIA…, MinIO, Garage GK…, Ceph): letters and digits, as the gateway's SigV4 parser takes them. */
export const IMPORTED_ID_PATTERN = /^[A-Z0-9]{16,128}$/;
/** Any visible ASCII (AWS secrets hold "/" and "+"); at least 30 characters, so weak secrets stay out. */
export const IMPORTED_SECRET_PATTERN = /^[\x21-\x7e]{30,128}$/;

// The messages never echo the value: the secret must not reach an error, a log or an event.
export const importedAccessKeyIdSchema = z.string().trim().regex(IMPORTED_ID_PATTERN, "Use 16 to 128 characters of A-Z and 0-9 (upper case).");
export const importedSecretSchema = z.string().trim().regex(IMPORTED_SECRET_PATTERN, "Use 30 to 128 visible ASCII characters, no spaces.");

export const importKeySchema = z.object({
  projectId: z.string().min(1),
  kind: z.enum(["MASTER", "SUB"], { error: "Choose master or sub." }),
  ownerId: z.string().trim().optional().transform((v) => v || undefined),
  name: keyNameSchema,
  description: keyDescriptionSchema,
  regionId: z.string().min(1, "Choose a region."),
  accessKeyId: importedAccessKeyIdSchema,
  secret: importedSecretSchema,
}).and(scopeInputSchema).and(expirySchema.transform((expiresAt) => ({ expiresAt })));
export type ImportKeyInput = z.input<typeof importKeySchema>;

export const accessKeyIdTaken = () =>
  conflict("This access key id is already used by a key of this instance.", { accessKeyId: ["Already in use (every access key id is unique across the instance, revoked keys included)."] });

/**
 * Imports the pair: format checks, uniqueness across the instance (every organization, revoked
 * keys included), the same policy checks as a created key, then the usual insert with the
 * secret sealed to its id, `imported` set and a `key.imported` event (which never holds the secret).
 */
export async function importKey(db: Db, ctx: OrgContext, input: ImportKeyInput): Promise<IssuedKey> {
  requirePermission(ctx, "keys.master");
  const data = importKeySchema.parse(input);
  await getProjectOrThrow(db, ctx, data.projectId);
  await assertRegion(db, data.regionId);
  const policy = await getKeyPolicy(db, ctx.orgId);
  const scope = data.kind === "SUB" ? await resolveScope(db, ctx, { ...data, projectId: data.projectId, regionId: data.regionId }) : null;
  if (scope) checkSubScope(policy, scope);
  checkLifetime(policy, data.kind, data.expiresAt);
  const ownerId = await resolveKeyOwner(db, ctx, data.kind, data.ownerId);
  if (await db.accessKey.findUnique({ where: { accessKeyId: data.accessKeyId }, select: { id: true } })) throw accessKeyIdTaken();
  const imported = { accessKeyId: data.accessKeyId, secret: data.secret };
  return db.$transaction((tx) =>
    insertKey(tx, ctx, {
      kind: data.kind, projectId: data.projectId, regionId: data.regionId, name: data.name, ownerId, expiresAt: data.expiresAt,
      description: data.description, imported, ...(scope ?? {}),
    }),
  ).catch(async (err: unknown) => {
    // Two imports of one id, or one name, at the same moment: the unique indexes refuse the second.
    if (!isUniqueViolation(err)) throw err;
    const idTaken = await db.accessKey.findUnique({ where: { accessKeyId: data.accessKeyId }, select: { id: true } });
    throw idTaken ? accessKeyIdTaken() : keyNameTaken(data.name);
  });
}
