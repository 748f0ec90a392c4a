// A bucket's versioning and Object Lock, as the console shows and an ADMIN changes them. Both live
// in the region's storage (the gateway serves the same state to S3 clients), not in the database:
// each change writes its event in a transaction whose last step is the storage call, so a refused
// or failed change leaves no event behind.
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { badRequest, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import type { DefaultRetention, ObjectLockConfig, VersioningState } from "../storage/types";
import type { StorageFor } from "./buckets";
import { storageFailure } from "./storage-failure";

export type BucketSettings = { versioning: VersioningState; objectLock: ObjectLockConfig };

async function bucketOfOrg(db: Db, ctx: OrgContext, bucketId: string) {
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, project: { orgId: ctx.orgId } } });
  if (!bucket) throw notFound("Bucket not found");
  return bucket;
}

/** Read from the region's storage; a region that cannot answer is a clear 502, not a crash. */
export async function getBucketSettings(db: Db, ctx: OrgContext, bucketId: string, storageFor: StorageFor): Promise<BucketSettings> {
  requirePermission(ctx, "buckets.manage");
  const bucket = await bucketOfOrg(db, ctx, bucketId);
  const storage = storageFor(bucket.regionId);
  try {
    const [versioning, objectLock] = await Promise.all([storage.getBucketVersioning(bucket.name), storage.getObjectLockConfiguration(bucket.name)]);
    return { versioning, objectLock };
  } catch (err) {
    throw storageFailure(bucket.regionId, err);
  }
}

export const bucketVersioningSchema = z.enum(["Enabled", "Suspended"], { error: "Choose Enabled or Suspended." });

/** Enabled or Suspended: a bucket once versioned never returns to Unversioned (as S3). */
export async function setBucketVersioning(db: Db, ctx: OrgContext, bucketId: string, state: unknown, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const parsed = bucketVersioningSchema.parse(state);
  const bucket = await bucketOfOrg(db, ctx, bucketId);
  const storage = storageFor(bucket.regionId);
  if (parsed === "Suspended") {
    // S3 refuses it too (InvalidBucketState); asked first so the message can say why.
    const lock = await storage.getObjectLockConfiguration(bucket.name).catch((err) => { throw storageFailure(bucket.regionId, err); });
    if (lock.enabled) throw badRequest("Versioning of a bucket with Object Lock cannot be suspended: locked versions must stay versions.");
  }
  await db.$transaction(async (tx) => {
    await writeEvent(tx, { type: "bucket.versioning_changed", orgId: ctx.orgId, projectId: bucket.projectId, actor: ctx.actor, data: { name: bucket.name, regionId: bucket.regionId, state: parsed } });
    await storage.putBucketVersioning(bucket.name, parsed).catch((err) => { throw storageFailure(bucket.regionId, err); });
  });
  return parsed;
}

/** The console's default retention form: none, or a mode with a period in days or years (S3's limits). */
export const defaultRetentionSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("none") }),
  z.object({
    mode: z.enum(["GOVERNANCE", "COMPLIANCE"]),
    unit: z.enum(["days", "years"], { error: "Choose days or years." }),
    period: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(1, "At least 1."),
  }).superRefine((v, ctx) => {
    const max = v.unit === "days" ? 36_500 : 100;
    if (v.period > max) ctx.addIssue({ code: "custom", path: ["period"], message: `At most ${max} ${v.unit}.` });
  }),
], { error: "Choose none, GOVERNANCE or COMPLIANCE." });

export const describeRetention = (r: DefaultRetention | undefined) =>
  r ? `${r.mode}, ${r.days ? `${r.days} day${r.days === 1 ? "" : "s"}` : `${r.years} year${r.years === 1 ? "" : "s"}`}` : "none";

/**
 * Sets or removes the default retention of a bucket with Object Lock. The console does not turn
 * Object Lock on for an existing bucket (it is chosen at creation, and never turned off), so
 * buckets without it are refused.
 */
export async function setDefaultRetention(db: Db, ctx: OrgContext, bucketId: string, input: unknown, storageFor: StorageFor) {
  requirePermission(ctx, "buckets.manage");
  const parsed = defaultRetentionSchema.parse(input);
  const bucket = await bucketOfOrg(db, ctx, bucketId);
  const storage = storageFor(bucket.regionId);
  const current = await storage.getObjectLockConfiguration(bucket.name).catch((err) => { throw storageFailure(bucket.regionId, err); });
  if (!current.enabled) throw badRequest("This bucket has no Object Lock, so it has no default retention. Choose Object Lock when creating a bucket.");
  const defaultRetention: DefaultRetention | undefined = parsed.mode === "none" ? undefined : { mode: parsed.mode, [parsed.unit]: parsed.period };
  const config: ObjectLockConfig = { enabled: true, ...(defaultRetention ? { defaultRetention } : {}) };
  await db.$transaction(async (tx) => {
    await writeEvent(tx, {
      type: "bucket.object_lock_changed", orgId: ctx.orgId, projectId: bucket.projectId, actor: ctx.actor,
      data: { name: bucket.name, regionId: bucket.regionId, defaultRetention: describeRetention(defaultRetention) },
    });
    await storage.putObjectLockConfiguration(bucket.name, config).catch((err) => { throw storageFailure(bucket.regionId, err); });
  });
  return config;
}
