import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { conflict, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { getProjectOrThrow } from "../projects/projects";
import { validateBucketName } from "../s3/bucket-name";
import { StorageError, type StorageBackend } from "../storage/types";
import { abortUploadsOfEmptyBucket } from "./abort-uploads";

export const createBucketSchema = z.object({
  projectId: z.string().min(1),
  regionId: z.string().min(1, "Choose a region."),
  name: z.string().trim().superRefine((name, ctx) => {
    const problem = validateBucketName(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

export type StorageFor = (regionId: string) => StorageBackend;

export async function listBuckets(db: Tx, ctx: OrgContext, projectId: string) {
  await getProjectOrThrow(db, ctx, projectId);
  return db.bucket.findMany({ where: { projectId }, orderBy: [{ regionId: "asc" }, { name: "asc" }] });
}

/**
 * Creates the bucket row and the storage bucket together: the row is written first inside a
 * transaction, so a storage failure rolls it back and a name clash never touches storage.
 */
export async function createBucket(db: Db, ctx: OrgContext, input: z.input<typeof createBucketSchema>, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const { projectId, regionId, name } = createBucketSchema.parse(input);
  await getProjectOrThrow(db, ctx, projectId);
  const region = await db.region.findUnique({ where: { id: regionId } });
  if (!region) throw notFound("Region not found");
  try {
    return await db.$transaction(async (tx) => {
      const bucket = await tx.bucket.create({ data: { projectId, regionId, name } });
      await writeEvent(tx, { type: "bucket.created", orgId: ctx.orgId, projectId, actor: ctx.actor, data: { name, regionId } });
      await notifyKeysChanged(tx, [`project:${projectId}`]);
      await storageFor(regionId).createBucket(name).catch((err) => {
        if (err instanceof StorageError && err.code === "BucketAlreadyOwnedByYou") return;
        throw err;
      });
      return bucket;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw conflict("This bucket name is already taken in this region.", { name: ["This name is already taken in this region."] });
    }
    throw err;
  }
}

export async function deleteBucket(db: Db, ctx: OrgContext, bucketId: string, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, project: { orgId: ctx.orgId } } });
  if (!bucket) throw notFound("Bucket not found");
  // Outside the transaction: aborting many uploads may take longer than a transaction may stay open.
  await abortUploadsOfEmptyBucket(storageFor(bucket.regionId), bucket.name);
  await db.$transaction(async (tx) => {
    await tx.bucket.delete({ where: { id: bucket.id } });
    await writeEvent(tx, { type: "bucket.deleted", orgId: ctx.orgId, projectId: bucket.projectId, actor: ctx.actor, data: { name: bucket.name, regionId: bucket.regionId } });
    await notifyKeysChanged(tx, [`project:${bucket.projectId}`]);
    // Storage last: if it refuses (not empty), the row delete rolls back.
    await storageFor(bucket.regionId).deleteBucket(bucket.name).catch((err) => {
      if (err instanceof StorageError && err.code === "BucketNotEmpty") {
        throw conflict(`Bucket "${bucket.name}" is not empty. Delete its objects first.`);
      }
      if (err instanceof StorageError && err.code === "NoSuchBucket") return;
      throw err;
    });
  });
}
