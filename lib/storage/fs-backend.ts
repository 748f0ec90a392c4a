// The `fs` storage backend: buckets and objects in a local directory.
//
// Layout under rootDir:
//   .tmp/                                temp files, staged dirs, trash (same file system => atomic renames)
//   buckets/<bucket>/objects/<labels...>  one file per object (fs-format.ts: header + data)
//   buckets/<bucket>/uploads/<uploadId>/  multipart uploads (fs-multipart.ts)
//   buckets/<bucket>/versioning            versioning state; versions beside their key (fs-versions.ts)
//   buckets/<bucket>/object-lock           Object Lock configuration (fs-object-lock.ts); per-version
//                                          lock state in version headers and sidecars (fs-version-lock.ts)
//
// Key layout (fs-paths.ts): a key's UTF-8 bytes are cut after a "/" (pieces of 4..120 bytes)
// or every 120 bytes when no "/" comes, and every piece is hex-encoded into one path component
// ("d<hex>" for directories, "f<hex>" for the object file). So `photos/2024/a.jpg` is stored
// at d70686f746f732f/d323032342f/f612e6a7067. Why:
//   - Safety: names are [df][0-9a-f]*, so no key (.., ./, //, NUL, unicode) can escape the
//     bucket or collide, on case-insensitive or normalising file systems too.
//   - Order: hex compares like the bytes, and each directory holds one contiguous key range.
//     A depth-first walk with entries sorted (file before directory on equal labels) yields
//     keys in S3 order without an index that could drift from the data.
//   - Speed at 100k+ objects: a listing only reads the directories its page touches. A prefix
//     jumps straight to its directory, `after` skips whole subtrees without reading them (and
//     binary-searches within a directory), and a common prefix is rolled up from its first key,
//     its remaining subtrees skipped unread. The weak spot is one huge directory (a flat bucket
//     of N keys without "/"): reading it costs ~1 µs per entry, so its sorted listing is cached
//     while the directory provably did not change (fs-dircache.ts).
//   - Multi-process safe: the file tree is the only state, so the console and gateway
//     processes (and several gateway processes) can share a root without coordination.
//
// Writes (fs-write.ts): temp file in .tmp -> fsync -> rename over the target -> fsync the
// directory. Data and metadata live in one file and so change together; readers hold an open
// handle, so a replaced or deleted object keeps streaming its old bytes.
import fsp from "node:fs/promises";
import { join } from "node:path";
import * as mp from "./fs-multipart";
import * as uploads from "./fs-uploads";
import * as obj from "./fs-objects";
import { DirCache, type DirCacheOptions } from "./fs-dircache";
import { listTree } from "./fs-list";
import * as lock from "./fs-lock-ops";
import { initObjectLock, readObjectLock, writeObjectLock } from "./fs-object-lock";
import { serialized } from "./fs-version-lock";
import { cachedVersioning, putVersioning, readVersioning } from "./fs-versions";
import { hasNoVersions, listLatest, listVersions } from "./fs-versions-list";
import * as vr from "./fs-versions-read";
import * as vw from "./fs-versions-write";
import { getObject } from "./fs-read";
import { bucketDir, checkBucketName, layoutOf, type Layout } from "./fs-paths";
import { DIR_MODE, errCode, fsyncDir, sweepTemp, tempName } from "./fs-write";
import { StorageError, type StorageBackend } from "./types";

const lockedVersioning = () =>
  new StorageError("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", 409);
const unversionedLock = () =>
  new StorageError("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);

export type FsBackendOptions = {
  /** Minimum size of every part but the last (S3: 5 MiB). Lowered by tests. */
  minPartSize?: number;
  /** Leftovers in .tmp older than this are deleted (default 1 h: far longer than a stalled upload lives). */
  tempMaxAgeMs?: number;
  /** How often .tmp is swept after the sweep at start (default 15 min; 0 = only at start). */
  sweepIntervalMs?: number;
  /** Reuse sorted listings of large, settled directories (fs-dircache.ts). Default on; false disables. */
  listCache?: boolean | DirCacheOptions;
};

export type FsBackend = StorageBackend & {
  readonly rootDir: string;
  /** Resolves when the directories exist and the start-up sweep of .tmp is done. */
  readonly ready: Promise<void>;
  sweepTemp(maxAgeMs?: number): Promise<number>;
};

async function init(layout: Layout): Promise<void> {
  await fsp.mkdir(layout.tmpDir, { recursive: true, mode: DIR_MODE });
  await fsp.mkdir(layout.bucketsDir, { recursive: true, mode: DIR_MODE });
}

async function createBucket(ctx: obj.FsContext, bucket: string, objectLock = false): Promise<void> {
  checkBucketName(bucket);
  await ctx.ready;
  // Built aside and renamed in, so a bucket is either absent or complete.
  const staging = tempName(ctx.layout.tmpDir, "bucket");
  await fsp.mkdir(staging, DIR_MODE);
  try {
    await fsp.mkdir(join(staging, "objects"), DIR_MODE);
    await fsp.mkdir(join(staging, "uploads"), DIR_MODE);
    if (objectLock) await initObjectLock(staging);
    await fsyncDir(staging);
    await fsp.rename(staging, bucketDir(ctx.layout, bucket));
  } catch (err) {
    await fsp.rm(staging, { recursive: true, force: true });
    if (errCode(err) === "ENOTEMPTY" || errCode(err) === "EEXIST") {
      throw new StorageError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
    }
    throw err;
  }
  await fsyncDir(ctx.layout.bucketsDir);
}

/** No uploads, no objects, and no versions or delete markers (as S3 refuses to delete those too). */
async function isEmpty(bucketRoot: string): Promise<boolean> {
  const uploads = await fsp.readdir(join(bucketRoot, "uploads")).catch(() => [] as string[]);
  if (uploads.length > 0) return false;
  return hasNoVersions(join(bucketRoot, "objects"));
}

/**
 * Checks emptiness, detaches the bucket with one rename (from then on every operation sees
 * NoSuchBucket) and checks again: a write that landed between the check and the rename is
 * put back rather than deleted with the bucket.
 */
async function deleteBucket(ctx: obj.FsContext, bucket: string): Promise<void> {
  const root = bucketDir(ctx.layout, bucket);
  await obj.requireBucket(ctx, bucket);
  const notEmpty = () => new StorageError("BucketNotEmpty", "The bucket you tried to delete is not empty");
  if (!(await isEmpty(root))) throw notEmpty();
  const trash = tempName(ctx.layout.tmpDir, "trash");
  try {
    await fsp.rename(root, trash);
  } catch (err) {
    if (errCode(err) === "ENOENT") throw obj.noSuchBucket();
    throw err;
  }
  if (await isEmpty(trash)) {
    await fsyncDir(ctx.layout.bucketsDir);
    await fsp.rm(trash, { recursive: true, force: true });
    return;
  }
  await fsp.rename(trash, root).catch(async () => {
    // The name was taken again meanwhile: keep the data where an operator finds it.
    const lost = join(ctx.layout.root, `lost+found-${bucket}-${Date.now()}`);
    await fsp.rename(trash, lost);
    console.error(`[storage/fs] bucket "${bucket}" was recreated during deletion; its late writes are in ${lost}`);
  });
  throw notEmpty();
}

async function bucketExists(ctx: obj.FsContext, bucket: string): Promise<boolean> {
  try {
    await obj.requireBucket(ctx, bucket);
    return true;
  } catch (err) {
    if (err instanceof StorageError && (err.code === "NoSuchBucket" || err.code === "InvalidBucketName")) return false;
    throw err;
  }
}

function startSweeper(layout: Layout, ready: Promise<void>, opts: FsBackendOptions) {
  const maxAge = opts.tempMaxAgeMs ?? 60 * 60_000;
  const sweep = () => sweepTemp(layout.tmpDir, maxAge).catch(() => 0);
  const first = ready.then(sweep).then(() => undefined);
  const interval = opts.sweepIntervalMs ?? 15 * 60_000;
  // unref: the sweeper alone must never keep a process (or a test run) alive.
  if (interval > 0) ready.then(() => setInterval(sweep, interval).unref(), () => {});
  return first;
}

export function createFsBackend(rootDir: string, opts: FsBackendOptions = {}): FsBackend {
  const layout = layoutOf(rootDir);
  const ready = init(layout);
  ready.catch(() => {}); // surfaced by the first operation instead of as an unhandled rejection
  const dirCache = opts.listCache === false ? undefined : new DirCache(opts.listCache === true ? {} : opts.listCache);
  const ctx: obj.FsContext = { layout, minPartSize: opts.minPartSize ?? 5 * 1024 * 1024, ready, dirCache };
  const swept = startSweeper(layout, ready, opts);
  const bucketConfig = <T>(bucket: string, fn: () => Promise<T>) => serialized(`config\0${layout.root}\0${bucket}`, fn);
  swept.catch(() => {}); // awaiting `ready` is optional
  return {
    rootDir,
    ready: swept,
    sweepTemp: async (maxAgeMs) => (await ready, sweepTemp(layout.tmpDir, maxAgeMs ?? opts.tempMaxAgeMs ?? 60 * 60_000)),
    createBucket: (bucket, opts) => createBucket(ctx, bucket, opts?.objectLock),
    deleteBucket: (bucket) => deleteBucket(ctx, bucket),
    bucketExists: (bucket) => bucketExists(ctx, bucket),
    // Versioned buckets take the fs-versions-* paths; unversioned ones (the state is cached for
    // reads, fs-versions.ts) keep the paths they always had.
    putObject: (bucket, key, body, metadata, size, md5) => vw.putVersioned(ctx, bucket, key, body, metadata, size, md5),
    headObject: (bucket, key, versionId) => vr.headVersion(ctx, bucket, key, versionId),
    getObject: async (bucket, key, range, versionId) =>
      versionId === undefined && (await cachedVersioning(ctx, bucket)) === "Unversioned"
        ? getObject(ctx, bucket, key, range)
        : vr.getVersion(ctx, bucket, key, range, versionId),
    deleteObject: (bucket, key, versionId, o) => vw.deleteVersioned(ctx, bucket, key, versionId, o),
    copyObject: (src, dst, metadata) => vw.copyVersioned(ctx, src, dst, metadata),
    listObjects: async (bucket, params) =>
      (await cachedVersioning(ctx, bucket)) === "Unversioned"
        ? listTree(await obj.requireBucket(ctx, bucket), params, dirCache)
        : listLatest(ctx, bucket, params),
    getBucketVersioning: async (bucket) => (await obj.requireBucket(ctx, bucket), readVersioning(ctx, bucket)),
    // Versioning and Object Lock changes of one bucket run one after another (within this
    // process), so enabling Object Lock racing a suspension never leaves a lock bucket Suspended
    // (across processes the state file may still say Suspended; readVersioning reads that as Enabled).
    putBucketVersioning: (bucket, state) => bucketConfig(bucket, async () => {
      if (state === "Suspended" && (await readObjectLock(ctx, bucket)).enabled) throw lockedVersioning();
      return putVersioning(ctx, bucket, state);
    }),
    getObjectLockConfiguration: (bucket) => readObjectLock(ctx, bucket),
    putObjectLockConfiguration: (bucket, config) => bucketConfig(bucket, async () => {
      if (!(await readObjectLock(ctx, bucket)).enabled && (await readVersioning(ctx, bucket)) !== "Enabled") throw unversionedLock();
      return writeObjectLock(ctx, bucket, config);
    }),
    getObjectRetention: (ref) => lock.getRetention(ctx, ref),
    putObjectRetention: (ref, retention, o) => lock.putRetention(ctx, ref, retention, o),
    getObjectLegalHold: (ref) => lock.getLegalHold(ctx, ref),
    putObjectLegalHold: (ref, on) => lock.putLegalHold(ctx, ref, on),
    listObjectVersions: (bucket, params) => listVersions(ctx, bucket, params),
    createMultipartUpload: (bucket, key, metadata) => mp.createMultipartUpload(ctx, bucket, key, metadata),
    uploadPart: (bucket, key, uploadId, n, body, size) => mp.uploadPart(ctx, bucket, key, uploadId, n, body, size),
    uploadPartCopy: (src, bucket, key, uploadId, n) => mp.uploadPartCopy(ctx, src, bucket, key, uploadId, n),
    completeMultipartUpload: (bucket, key, uploadId, parts) => mp.completeMultipartUpload(ctx, bucket, key, uploadId, parts),
    abortMultipartUpload: (bucket, key, uploadId) => mp.abortMultipartUpload(ctx, bucket, key, uploadId),
    listParts: (bucket, key, uploadId, p) => uploads.listParts(ctx, bucket, key, uploadId, p),
    listMultipartUploads: (bucket, p) => uploads.listMultipartUploads(ctx, bucket, p),
  };
}
