import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { getEnv } from "../env";
import { badRequest, conflict, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { getProjectOrThrow, lockProject } from "../projects/projects";
import { validateBucketName } from "../s3/bucket-name";
import { StorageError, type StorageBackend } from "../storage/types";
import { abortUploadsOfEmptyBucket } from "./abort-uploads";
import { unreachableStorage } from "./storage-failure";
import { describeLocked, findLockedVersion } from "./locked-versions";

export const createBucketSchema = z.object({
  projectId: z.string().min(1),
  regionId: z.string().min(1, "Choose a region."),
  name: z.string().trim().superRefine((name, ctx) => {
    const problem = validateBucketName(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  /** Versioning Enabled from the start (it can be suspended later, never undone). */
  versioning: z.boolean().default(false),
  /** Object Lock (implies versioning): chosen at creation only and never turned off, as S3. */
  objectLock: z.boolean().default(false),
});

export type StorageFor = (regionId: string) => StorageBackend;

export async function listBuckets(db: Tx, ctx: OrgContext, projectId: string) {
  await getProjectOrThrow(db, ctx, projectId);
  return db.bucket.findMany({ where: { projectId }, orderBy: [{ regionId: "asc" }, { name: "asc" }] });
}

/**
 * Creates the bucket row and the storage bucket together: the row is written first inside a
 * transaction, so a storage failure rolls it back and a name clash never touches storage.
 *
 * On an `s3` region the storage is shared with whoever else uses those upstream credentials: a
 * name that already exists there is someone else's bucket (Keygate removes the storage bucket
 * of every row it deletes, and of every creation it rolls back), so it is refused, never taken
 * over. Taking an existing bucket in is an operator's explicit act (adoptBucket, CLI).
 */
export async function createBucket(db: Db, ctx: OrgContext, input: z.input<typeof createBucketSchema>, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const { projectId, regionId, name, versioning, objectLock } = createBucketSchema.parse(input);
  await getProjectOrThrow(db, ctx, projectId);
  const region = await db.region.findUnique({ where: { id: regionId } });
  if (!region) throw notFound("Region not found");
  const prefix = regionBucketPrefix(regionId);
  if (prefix && !name.startsWith(prefix)) {
    throw badRequest(`Bucket names in region ${regionId} start with "${prefix}".`, { name: [`Start the name with "${prefix}".`] });
  }
  const storage = storageFor(regionId);
  let createdInStorage = false;
  try {
    return await db.$transaction(async (tx) => {
      await lockProject(tx, projectId, "share");
      const bucket = await tx.bucket.create({ data: { projectId, regionId, name } });
      const settings = objectLock ? { objectLock: true, versioning: true } : versioning ? { versioning: true } : {};
      await writeEvent(tx, { type: "bucket.created", orgId: ctx.orgId, projectId, actor: ctx.actor, data: { name, regionId, ...settings } });
      await notifyKeysChanged(tx, [`project:${projectId}`]);
      // HeadBucket first: AWS answers CreateBucket on a bucket we already own with 200 in us-east-1.
      if (await storage.bucketExists(name).catch(() => false)) throw existsUpstream();
      await storage.createBucket(name, objectLock ? { objectLock } : undefined).catch((err) => {
        if (err instanceof StorageError && (err.code === "BucketAlreadyOwnedByYou" || err.code === "BucketAlreadyExists")) throw existsUpstream();
        return unreachableStorage(regionId)(err);
      });
      createdInStorage = true;
      // Object Lock buckets are created versioned; a failure here removes the new bucket below.
      if (versioning && !objectLock) await storage.putBucketVersioning(name, "Enabled").catch(unreachableStorage(regionId));
      return { ...bucket, versioning: versioning || objectLock ? ("Enabled" as const) : ("Unversioned" as const), objectLock };
    });
  } catch (err) {
    // The commit failed after the storage bucket was made: remove it, so no bucket Keygate made
    // is ever left without its row (and later mistaken for a foreign one).
    if (createdInStorage) await storage.deleteBucket(name).catch(() => {});
    if (isUniqueViolation(err)) {
      throw conflict("This bucket name is already taken in this region.", { name: ["This name is already taken in this region."] });
    }
    throw err;
  }
}

const existsUpstream = () =>
  conflict("A bucket with this name already exists in this region's storage and was not created here. Choose another name.", {
    name: ["This name already exists in the region's storage."],
  });

/** The configured name prefix of a region's buckets (s3 regions), if any. */
export function regionBucketPrefix(regionId: string): string | undefined {
  const region = getEnv().regions.find((r) => r.id === regionId);
  return region?.backend.type === "s3" ? region.backend.bucketPrefix : undefined;
}

export async function deleteBucket(db: Db, ctx: OrgContext, bucketId: string, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, project: { orgId: ctx.orgId } } });
  if (!bucket) throw notFound("Bucket not found");
  // Outside the transaction: aborting many uploads may take longer than a transaction may stay open.
  await abortUploadsOfEmptyBucket(storageFor(bucket.regionId), bucket.name);
  const storage = storageFor(bucket.regionId);
  await db.$transaction(async (tx) => {
    await tx.bucket.delete({ where: { id: bucket.id } });
    await writeEvent(tx, { type: "bucket.deleted", orgId: ctx.orgId, projectId: bucket.projectId, actor: ctx.actor, data: { name: bucket.name, regionId: bucket.regionId } });
    await notifyKeysChanged(tx, [`project:${bucket.projectId}`]);
    // Storage last: if it refuses (not empty), the row delete rolls back.
    await storage.deleteBucket(bucket.name).catch(async (err) => {
      if (err instanceof StorageError && err.code === "BucketNotEmpty") {
        // Say why when Object Lock is the reason: deleting the objects first will not work.
        const locked = await findLockedVersion(storage, bucket.name).catch(() => null);
        throw conflict(`Bucket "${bucket.name}" is not empty. ${locked ? describeLocked(bucket.name, locked) : "Delete its objects first."}`);
      }
      if (err instanceof StorageError && err.code === "NoSuchBucket") return;
      throw err;
    });
  });
}
