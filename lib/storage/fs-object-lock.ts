// Object Lock of the fs backend: the bucket's configuration.
//
// buckets/<bucket>/object-lock holds the configuration as JSON ({"enabled":true,
// "defaultRetention":{...}}); no file = the bucket was created without Object Lock. The file is
// written into the bucket's staging directory at creation (so a lock-enabled bucket never exists
// without it) together with versioning "Enabled", as S3 enables both at once.
import fsp from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type FsContext, requireBucket } from "./fs-objects";
import { bucketDir } from "./fs-paths";
import { FILE_MODE, errCode } from "./fs-write";
import type { ObjectLockConfig } from "./types";

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

export async function readObjectLock(ctx: FsContext, bucket: string): Promise<ObjectLockConfig> {
  await requireBucket(ctx, bucket);
  let text: string;
  try {
    text = await fsp.readFile(join(bucketDir(ctx.layout, bucket), LOCK_FILE), "utf8");
  } catch (err) {
    if (errCode(err) === "ENOENT") return { enabled: false };
    throw err;
  }
  return configSchema.parse(JSON.parse(text));
}

async function writeSynced(path: string, data: string): Promise<void> {
  const h = await fsp.open(path, "wx", FILE_MODE);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}
