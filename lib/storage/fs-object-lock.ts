// Object Lock of the fs backend: the bucket's configuration.
//
// buckets/<bucket>/object-lock holds the configuration as JSON ({"enabled":true,
// "defaultRetention":{...}}); no file = the bucket has no Object Lock. The file is written into
// the bucket's staging directory at creation (so a lock-enabled bucket never exists without it)
// together with versioning "Enabled", as S3 enables both at once. PutObjectLockConfiguration
// replaces it (temp -> fsync -> rename -> fsync dir); it may also enable Object Lock on an
// existing bucket whose versioning is Enabled, as S3 allows since 2023 (fs-backend.ts checks the
// versioning state). Nothing ever removes the file: Object Lock cannot be turned off.
// Per-version lock state: fs-version-lock.ts.
import fsp from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readBucketFile } from "./fs-bucket-files";
import { type FsContext, requireBucket } from "./fs-objects";
import { bucketDir } from "./fs-paths";
import { FILE_MODE, errCode, fsyncDir, tempName } from "./fs-write";
import { StorageError, type ObjectLockConfig } from "./types";

const LOCK_FILE = "object-lock";
export const VERSIONING_FILE = "versioning";

const retentionMode = z.enum(["GOVERNANCE", "COMPLIANCE"]);
const configSchema = z.object({
  enabled: z.boolean(),
  defaultRetention: z
    .object({ mode: retentionMode, days: z.number().int().positive().optional(), years: z.number().int().positive().optional() })
    .optional(),
});

/** Writes a new lock-enabled bucket's files into its staging directory (the caller fsyncs the directory). */
export async function initObjectLock(stagingDir: string): Promise<void> {
  const config: ObjectLockConfig = { enabled: true };
  await writeSynced(join(stagingDir, LOCK_FILE), JSON.stringify(config));
  await writeSynced(join(stagingDir, VERSIONING_FILE), "Enabled");
}

/** NoSuchBucket when the bucket does not exist. Read through the bucket-settings cache (fs-bucket-files.ts). */
export async function readObjectLock(ctx: FsContext, bucket: string): Promise<ObjectLockConfig> {
  const text = await readBucketFile(ctx, bucket, LOCK_FILE);
  return text === null ? { enabled: false } : configSchema.parse(JSON.parse(text));
}

/** The configuration without checking that the bucket exists (a missing bucket reads as no lock). */
export async function readLockFile(ctx: FsContext, bucket: string): Promise<ObjectLockConfig> {
  try {
    return await readObjectLock(ctx, bucket);
  } catch (err) {
    if (err instanceof StorageError && err.code === "NoSuchBucket") return { enabled: false };
    throw err;
  }
}

/** Replaces the configuration (the caller checked that the bucket may have Object Lock). */
export async function writeObjectLock(ctx: FsContext, bucket: string, config: ObjectLockConfig): Promise<void> {
  if (!config.enabled) throw new StorageError("MalformedXML", "Object Lock cannot be disabled once enabled.", 400);
  const d = config.defaultRetention;
  // S3's limits; longer periods would also overflow dates and break every write into the bucket.
  if (d && ((d.days ?? 0) > 36_500 || (d.years ?? 0) > 100)) {
    throw new StorageError("InvalidArgument", "Default retention period cannot exceed 36500 days or 100 years.", 400);
  }
  const valid = configSchema.parse(config);
  await requireBucket(ctx, bucket);
  const tmp = tempName(ctx.layout.tmpDir, "object-lock");
  await writeSynced(tmp, JSON.stringify(valid));
  try {
    await fsp.rename(tmp, join(bucketDir(ctx.layout, bucket), LOCK_FILE));
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    if (errCode(err) === "ENOENT") await requireBucket(ctx, bucket);
    throw err;
  }
  await fsyncDir(bucketDir(ctx.layout, bucket));
}

export async function writeSynced(path: string, data: string): Promise<void> {
  const h = await fsp.open(path, "wx", FILE_MODE);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}
