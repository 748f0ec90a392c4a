import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { conflict, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { getProjectOrThrow, lockProject } from "../projects/projects";
import { validateBucketName } from "../s3/bucket-name";
import type { StorageBackend } from "../storage/types";

/**
 * Takes a bucket that already exists in a region's storage (made outside Keygate) into a
 * project. Console and API refuse such names (createBucket); only an operator adopts, from the
 * CLI, and the bucket.adopted event records who did. The region's name prefix does not apply:
 * adopting an existing bucket is the deliberate exception.
 */
export async function adoptBucket(db: Db, ctx: OrgContext, input: { projectId: string; regionId: string; name: string }, storage: StorageBackend) {
  const problem = validateBucketName(input.name);
  if (problem) throw conflict(problem);
  const project = await getProjectOrThrow(db, ctx, input.projectId);
  if (!(await db.region.findUnique({ where: { id: input.regionId } }))) throw notFound("Region not found");
  if (!(await storage.bucketExists(input.name))) throw notFound(`No bucket "${input.name}" exists in the storage of region ${input.regionId}.`);
  try {
    return await db.$transaction(async (tx) => {
      await lockProject(tx, project.id, "share");
      const bucket = await tx.bucket.create({ data: { projectId: project.id, regionId: input.regionId, name: input.name } });
      await writeEvent(tx, { type: "bucket.adopted", orgId: ctx.orgId, projectId: project.id, actor: ctx.actor, data: { name: input.name, regionId: input.regionId } });
      await notifyKeysChanged(tx, [`project:${project.id}`]);
      return bucket;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Bucket "${input.name}" already belongs to a project in region ${input.regionId}.`);
    throw err;
  }
}
