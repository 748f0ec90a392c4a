// The management API's operations on sub keys: thin adapters that confine a master key to its
// own project and then call the same lib/keys core functions the console uses.
import type { z } from "zod";
import type { Db, Tx } from "../db";
import { forbidden, notFound } from "../errors";
import { createSubKey, type IssuedKey } from "../keys/create-keys";
import { expirySchema } from "../keys/key-input";
import { listProjectKeys } from "../keys/list-keys";
import { setKeyDisabled } from "../keys/disable-key";
import { getManagedKeyOrThrow, revokeKey, updateSubKeyInTx } from "../keys/manage-keys";
import { endOverlap, overlapMs, rotateKey, type OverlapChoice } from "../keys/rotate-key";
import { updateKeyDescriptionInTx } from "../keys/update-key-description";
import { updateKeyExpiryInTx } from "../keys/update-key-expiry";
import type { ApiCaller } from "./authenticate";
import { presignUpload } from "../keys/presign-upload";
import type { createSubKeyRequest, listKeysQuery, presignUploadRequest, SubKeyView, updateSubKeyRequest } from "./schemas";
import { loadSubKeyViews } from "./views";

/** A project named in a request must be the master key's own (403 otherwise, without looking it up). */
export function assertOwnProject(caller: ApiCaller, projectId: string | undefined): string {
  if (projectId !== undefined && projectId !== caller.projectId) throw forbidden("This master key can only manage its own project.");
  return caller.projectId;
}

/** A sub key of the caller's project; anything else (other project, master or region keys) is 404. */
export async function getApiSubKeyOrThrow(db: Tx, caller: ApiCaller, keyId: string, opts: { lock?: boolean } = {}) {
  const key = await getManagedKeyOrThrow(db, caller, keyId, opts);
  if (key.kind !== "SUB" || key.projectId !== caller.projectId) throw notFound("Key not found");
  return key;
}

export async function readSubKey(db: Tx, caller: ApiCaller, keyId: string): Promise<SubKeyView> {
  await getApiSubKeyOrThrow(db, caller, keyId);
  const [view] = await loadSubKeyViews(db, [keyId]);
  if (!view) throw notFound("Key not found");
  return view;
}

export async function listApiSubKeys(db: Db, caller: ApiCaller, query: z.output<typeof listKeysQuery>) {
  const projectId = assertOwnProject(caller, query.projectId);
  const page = await listProjectKeys(db, caller, { projectId, kind: "SUB", after: query.cursor, limit: query.limit });
  return { keys: await loadSubKeyViews(db, page.keys.map((k) => k.id)), nextCursor: page.next };
}

async function issuedView(db: Tx, caller: ApiCaller, issued: IssuedKey) {
  const [key, region] = await Promise.all([
    readSubKey(db, caller, issued.id),
    db.region.findUniqueOrThrow({ where: { id: issued.regionId }, select: { endpoint: true } }),
  ]);
  return { key, secret: issued.secret, endpoint: region.endpoint };
}

export async function createApiSubKey(db: Db, caller: ApiCaller, body: z.output<typeof createSubKeyRequest>) {
  const projectId = assertOwnProject(caller, body.projectId);
  const issued = await createSubKey(db, caller, {
    projectId, name: body.name, description: body.description, regionId: body.regionId ?? caller.regionId, permissions: body.permissions, bucketScope: body.bucketScope,
    bucketIds: body.bucketIds, prefix: body.prefix ?? undefined, allowedCidrs: body.allowedCidrs, expiry: body.expiry, expiresAt: body.expiresAt,
  });
  return issuedView(db, caller, issued);
}

/**
 * Partial update: fields not sent keep their current value, then the console's updateSubKey
 * applies the whole scope, then the expiry and the description. All in one transaction under
 * the key's row lock: a part refused late (a policy's maximum lifetime, a taken name) leaves
 * nothing of the others behind, and no concurrent change slips in between.
 */
export async function updateApiSubKey(db: Db, caller: ApiCaller, keyId: string, body: z.output<typeof updateSubKeyRequest>) {
  return db.$transaction(async (tx) => {
    const key = await getApiSubKeyOrThrow(tx, caller, keyId, { lock: true });
    const wantsExpiry = body.expiry !== undefined || body.expiresAt !== undefined;
    const expiresAt = wantsExpiry ? expirySchema.parse({ expiry: body.expiry ?? "custom", expiresAt: body.expiresAt }) : undefined;
    const scopeFields = [body.name, body.permissions, body.bucketScope, body.bucketIds, body.prefix, body.allowedCidrs];
    if (scopeFields.some((v) => v !== undefined)) {
      const current = (await tx.accessKeyBucket.findMany({ where: { keyId }, select: { bucketId: true } })).map((b) => b.bucketId);
      const bucketScope = body.bucketScope ?? (body.bucketIds ? "selected" : key.allBuckets ? "all" : "selected");
      const prefix = body.prefix === undefined ? key.prefix : body.prefix;
      await updateSubKeyInTx(tx, caller, {
        keyId, name: body.name ?? key.name, permissions: body.permissions ?? key.permissions, bucketScope,
        bucketIds: body.bucketIds ?? current, prefix: prefix ?? undefined, allowedCidrs: body.allowedCidrs ?? key.allowedCidrs,
      });
    }
    if (expiresAt) await updateKeyExpiryInTx(tx, caller, { keyId, expiresAt });
    if (body.description !== undefined) await updateKeyDescriptionInTx(tx, caller, keyId, body.description);
    return readSubKey(tx, caller, keyId);
  });
}

export async function rotateApiSubKey(db: Db, caller: ApiCaller, keyId: string, overlap: OverlapChoice = "none") {
  await getApiSubKeyOrThrow(db, caller, keyId);
  return issuedView(db, caller, await rotateKey(db, caller, keyId, { overlapMs: overlapMs(overlap) }));
}

export async function endApiSubKeyOverlap(db: Db, caller: ApiCaller, keyId: string) {
  await getApiSubKeyOrThrow(db, caller, keyId);
  await endOverlap(db, caller, keyId);
  return readSubKey(db, caller, keyId);
}

export async function setApiSubKeyDisabled(db: Db, caller: ApiCaller, keyId: string, disabled: boolean) {
  await getApiSubKeyOrThrow(db, caller, keyId);
  await setKeyDisabled(db, caller, keyId, disabled);
  return readSubKey(db, caller, keyId);
}

export async function revokeApiSubKey(db: Db, caller: ApiCaller, keyId: string) {
  await getApiSubKeyOrThrow(db, caller, keyId);
  await revokeKey(db, caller, keyId);
  return readSubKey(db, caller, keyId);
}

/** A presigned PUT URL or POST form for one of the project's sub keys. */
export async function presignApiUpload(db: Db, caller: ApiCaller, keyId: string, body: z.output<typeof presignUploadRequest>) {
  await getApiSubKeyOrThrow(db, caller, keyId);
  const upload = await presignUpload(db, caller, keyId, body);
  return { ...upload, expiresAt: upload.expiresAt.toISOString() };
}
