// Versioning of the fs backend: bucket state, version ids and where a key's versions live.
//
// A bucket's state is the file buckets/<bucket>/versioning ("Enabled" or "Suspended"); no file
// = Unversioned, so every bucket created before versioning existed reads as it always did.
//
// Versions of a key (its "f" path, fs-paths.ts, is  <dir>/f<hex>):
//   <dir>/f<hex>          the null version: the only object of an unversioned bucket, the one a
//                         suspended bucket writes, or a null delete marker (header flag)
//   <dir>/v<hex>/<id>.o   a version with an id, written while versioning is Enabled
//   <dir>/v<hex>/<id>.m   a delete marker with an id (an empty file)
//   <dir>/v<hex>/<id>.l   Object Lock state of version <id> ("null.l" for the null version) once
//                         changed after creation; a version's initial lock is in its header
//                         ("lock"). Written temp -> fsync -> rename; see fs-version-lock.ts
// Ids are 24 hex digits: 12 of milliseconds, 4 of an in-process counter, 8 random, so they sort
// by creation time and never collide across processes sharing a root. The newest of the null
// version and the v<hex> entries is the latest. Every version file is written once under a
// name nobody else uses (temp file -> fsync -> rename -> fsync dir, as fs-write.ts), so
// concurrent writers never overwrite each other's versions and a crash leaves either a complete
// version or a temp file the sweeper removes. The "v" directory sits beside the key's "f" entry
// in the same label tree, so listings walk both in one pass (fs-versions-list.ts); unversioned
// listings ignore it (parseLabelName only knows "d" and "f").
import { randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { HeaderJson } from "./fs-format";
import { readBucketFile } from "./fs-bucket-files";
import { VERSIONING_FILE, readObjectLock } from "./fs-object-lock";
import { type FsContext, requireBucket } from "./fs-objects";
import { bucketDir, objectPath } from "./fs-paths";
import { FILE_MODE, errCode, fsyncDir, tempName } from "./fs-write";
import { StorageError, type VersioningState } from "./types";

/** Header JSON of versions: `seq` orders the null version among the others. */
export type VersionJson = HeaderJson & { seq?: string; nullVersion?: boolean; deleteMarker?: boolean };

const ID_RE = /^[0-9a-f]{24}$/;
export const VERSION_FILE_RE = /^([0-9a-f]{24})\.([om])$/;

let lastMs = 0;
let counter = 0;

/** A new version id (see the header comment); increasing within this process. */
export function newVersionId(): string {
  const ms = Math.max(Date.now(), lastMs);
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  if (counter > 0xffff) {
    lastMs = ms + 1;
    counter = 0;
  }
  return lastMs.toString(16).padStart(12, "0") + counter.toString(16).padStart(4, "0") + randomBytes(4).toString("hex");
}

/** The order key of a null version written before versioning (no seq in its header). */
export const seqOfDate = (d: Date) => Math.max(0, d.getTime()).toString(16).padStart(12, "0") + "0".repeat(12);
export const dateOfId = (id: string) => new Date(parseInt(id.slice(0, 12), 16));

/** A version id from a client: "null", one of ours, or InvalidArgument (as S3 for malformed ids). */
export function checkVersionId(versionId: string): void {
  if (versionId !== "null" && !ID_RE.test(versionId)) {
    throw new StorageError("InvalidArgument", "Invalid version id specified", 400);
  }
}

export const noSuchVersion = () => new StorageError("NoSuchVersion", "The specified version does not exist.");

export type KeyPaths = { nullPath: string; versionsDir: string; dirs: ReturnType<typeof objectPath>["dirs"] };

/** The null version's path and the key's versions directory. */
export function keyPaths(ctx: FsContext, bucket: string, key: string): KeyPaths {
  const { path, dirs } = objectPath(ctx.layout, bucket, key);
  return { nullPath: path, versionsDir: versionsDirOf(path), dirs };
}

export const versionsDirOf = (nullPath: string) => join(dirname(nullPath), `v${basename(nullPath).slice(1)}`);

const stateFile = (ctx: FsContext, bucket: string) => join(bucketDir(ctx.layout, bucket), VERSIONING_FILE);

/**
 * The bucket's state for a write: current even when another process changed it a moment ago
 * (fs-bucket-files.ts), and NoSuchBucket when the bucket does not exist.
 */
export async function versioningForWrite(ctx: FsContext, bucket: string): Promise<VersioningState> {
  const text = (await readBucketFile(ctx, bucket, VERSIONING_FILE))?.trim();
  // A lock bucket is never Suspended (a race across processes could still write that state):
  // it keeps working as Enabled, so a write never replaces a locked null version.
  if (text === "Suspended" && (await readObjectLock(ctx, bucket)).enabled) return "Enabled";
  return text === "Enabled" || text === "Suspended" ? text : "Unversioned";
}

/**
 * The bucket's state, as current as for a write. A missing bucket reads as Unversioned: the
 * operation that follows reports NoSuchBucket.
 */
export async function readVersioning(ctx: FsContext, bucket: string): Promise<VersioningState> {
  try {
    return await versioningForWrite(ctx, bucket);
  } catch (err) {
    if (err instanceof StorageError && err.code === "NoSuchBucket") return "Unversioned";
    throw err;
  }
}

const STATE_TTL_MS = 1000;
const cache = new Map<string, { state: VersioningState; at: number }>();

/**
 * The state for reads without a version id (GET, HEAD, ListObjects), cached for a second so the
 * unversioned hot path costs no extra file read. Staleness is bounded and one-sided: a bucket
 * never returns to Unversioned, and for a second after another process enabled versioning its
 * latest version may still be read as the null one. Writes never use this cache.
 */
export async function cachedVersioning(ctx: FsContext, bucket: string): Promise<VersioningState> {
  const key = `${ctx.layout.root}\0${bucket}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < STATE_TTL_MS) return hit.state;
  const state = await readVersioning(ctx, bucket);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { state, at: Date.now() });
  return state;
}

export async function putVersioning(ctx: FsContext, bucket: string, state: "Enabled" | "Suspended"): Promise<void> {
  await requireBucket(ctx, bucket);
  const tmp = tempName(ctx.layout.tmpDir, "versioning");
  const h = await fsp.open(tmp, "wx", FILE_MODE);
  try {
    await h.writeFile(state);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await fsp.rename(tmp, stateFile(ctx, bucket));
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    if (errCode(err) === "ENOENT") await requireBucket(ctx, bucket);
    throw err;
  }
  await fsyncDir(bucketDir(ctx.layout, bucket));
  cache.set(`${ctx.layout.root}\0${bucket}`, { state, at: Date.now() });
}
