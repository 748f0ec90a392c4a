// Writing in versioned fs buckets: new versions, delete markers, deleting one version, copies.
// Every write sees the bucket's current state (fs-bucket-files.ts). Layout and guarantees: fs-versions.ts.
import fsp from "node:fs/promises";
import { dirname, join } from "node:path";
import { cleanMetadata, etagOf, type Header } from "./fs-format";
import * as obj from "./fs-objects";
import { type FsContext, commitObject, dataStream, noSuchBucket, requireBucket, whenMissing } from "./fs-objects";
import { objectsDir } from "./fs-paths";
import {
  DIR_MODE, FILE_MODE, type Staged, ensureDirs, errCode, fsyncDir, guardBody, publish, pruneEmptyDirs, stage, tempName,
} from "./fs-write";
import { type KeyPaths, type VersionJson, checkVersionId, keyPaths, newVersionId, readVersioning, versioningForWrite } from "./fs-versions";
import { openVersion, readHeaderOrNull } from "./fs-versions-read";
import { readLockFile } from "./fs-object-lock";
import { checkDeletable, lockForWrite, readLockState, serialized, sidecarPath } from "./fs-version-lock";
import { StorageError, type DeleteResult, type LockOptions, type ObjectMetadata, type ObjectRef, type PutResult } from "./types";

/** Where the next write of a key goes, decided by the bucket's state when the write starts. */
export type WriteTarget = { json: VersionJson; commit: (staged: Staged) => Promise<PutResult> };

/** Creates the key's directories and its versions directory (after a concurrent prune too). */
const ensureVersionsDir = (ctx: FsContext, bucket: string, paths: KeyPaths) => async () => {
  await ensureDirs(objectsDir(ctx.layout, bucket), paths.dirs);
  await fsp.mkdir(paths.versionsDir, DIR_MODE).catch((err) => (errCode(err) === "EEXIST" ? undefined : Promise.reject(err)));
};

/** Renames a staged file into the key's versions directory under a name nobody else uses. */
async function publishVersion(ctx: FsContext, bucket: string, paths: KeyPaths, staged: Staged, name: string): Promise<void> {
  try {
    await publish(staged, join(paths.versionsDir, name), ensureVersionsDir(ctx, bucket, paths));
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchBucket);
  }
}

export async function prepareWrite(ctx: FsContext, bucket: string, key: string, metadata: ObjectMetadata): Promise<WriteTarget> {
  const paths = keyPaths(ctx, bucket, key);
  const state = await versioningForWrite(ctx, bucket); // NoSuchBucket before any body is read
  const base = { key, metadata: cleanMetadata(metadata) };
  // Object Lock (fs-version-lock.ts): the new version's lock goes into its header.
  const lock = await lockForWrite(ctx, bucket, state === "Enabled", metadata.lock);
  if (state === "Unversioned") return { json: base, commit: (s) => commitObject(ctx, bucket, s, paths.nullPath, paths.dirs) };
  const id = newVersionId();
  if (state === "Suspended") {
    // The null version is replaced by one rename, as S3 replaces it.
    return {
      json: { ...base, seq: id, nullVersion: true },
      commit: async (s) => ({ ...(await commitObject(ctx, bucket, s, paths.nullPath, paths.dirs)), versionId: "null" }),
    };
  }
  return {
    json: { ...base, seq: id, ...(lock ? { lock } : {}) },
    commit: async (s) => {
      await publishVersion(ctx, bucket, paths, s, `${id}.o`);
      return { etag: etagOf(s.digest), size: s.size, lastModified: s.lastModified, versionId: id };
    },
  };
}

export async function putVersioned(
  ctx: FsContext, bucket: string, key: string, body: AsyncIterable<Uint8Array | string>, metadata: ObjectMetadata, size?: number, md5?: Buffer,
): Promise<PutResult> {
  guardBody(body);
  const target = await prepareWrite(ctx, bucket, key, metadata);
  const staged = await stage(ctx.layout.tmpDir, { json: target.json, body, expectedSize: size, digest: md5 && { md5, parts: 0 } });
  return target.commit(staged);
}

/** An empty file staged in the tmp dir (a delete marker's file). */
async function stageEmpty(ctx: FsContext): Promise<Staged> {
  const tmpPath = tempName(ctx.layout.tmpDir, "marker");
  await (await fsp.open(tmpPath, "wx", FILE_MODE)).close();
  return { tmpPath, size: 0, digest: { md5: Buffer.alloc(16), parts: 0 }, lastModified: new Date() };
}

async function createMarker(ctx: FsContext, bucket: string, key: string, enabled: boolean): Promise<DeleteResult> {
  await requireBucket(ctx, bucket);
  const paths = keyPaths(ctx, bucket, key);
  const id = newVersionId();
  if (enabled) {
    await publishVersion(ctx, bucket, paths, await stageEmpty(ctx), `${id}.m`);
    return { versionId: id, deleteMarker: true };
  }
  // Suspended: the null delete marker replaces the null version (an empty object flagged as marker).
  const json: VersionJson = { key, metadata: { userMetadata: {} }, seq: id, nullVersion: true, deleteMarker: true };
  await commitObject(ctx, bucket, await stage(ctx.layout.tmpDir, { json, body: (async function* () {})() }), paths.nullPath, paths.dirs);
  return { versionId: "null", deleteMarker: true };
}

/** Removes the key's now-empty directories; a concurrent writer re-creates what it needs. */
async function prune(ctx: FsContext, bucket: string, paths: KeyPaths): Promise<void> {
  await fsp.rmdir(paths.versionsDir).catch(() => {});
  await pruneEmptyDirs(objectsDir(ctx.layout, bucket), dirname(paths.nullPath));
}

async function unlinkIfThere(path: string): Promise<boolean> {
  try {
    await fsp.unlink(path);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return false;
    throw err;
  }
  await fsyncDir(dirname(path));
  return true;
}

/**
 * Permanently removes one version or delete marker; a missing one is not an error (as S3). In
 * buckets with Object Lock a locked version is refused (AccessDenied); its sidecar goes after it.
 */
async function deleteOneVersion(ctx: FsContext, bucket: string, key: string, versionId: string, opts: LockOptions = {}): Promise<DeleteResult> {
  checkVersionId(versionId);
  await requireBucket(ctx, bucket);
  const paths = keyPaths(ctx, bucket, key);
  if (!(await readLockFile(ctx, bucket)).enabled) return removeVersion(ctx, bucket, paths, versionId);
  return serialized(sidecarPath(paths.versionsDir, versionId), async () => {
    const path = versionId === "null" ? paths.nullPath : join(paths.versionsDir, `${versionId}.o`);
    const header = (await readHeaderOrNull(path)) as (Header & VersionJson) | null;
    if (header && !header.deleteMarker) checkDeletable(await readLockState(paths.versionsDir, versionId, header), opts.bypassGovernance);
    const result = await removeVersion(ctx, bucket, paths, versionId);
    await fsp.unlink(sidecarPath(paths.versionsDir, versionId)).catch(() => {});
    await prune(ctx, bucket, paths);
    return result;
  });
}

async function removeVersion(ctx: FsContext, bucket: string, paths: KeyPaths, versionId: string): Promise<DeleteResult> {
  let marker = false;
  if (versionId === "null") {
    const header = (await readHeaderOrNull(paths.nullPath)) as (Header & VersionJson) | null;
    marker = Boolean(header?.deleteMarker);
    await unlinkIfThere(paths.nullPath);
  } else if (!(await unlinkIfThere(join(paths.versionsDir, `${versionId}.o`)))) {
    marker = await unlinkIfThere(join(paths.versionsDir, `${versionId}.m`));
  }
  await prune(ctx, bucket, paths);
  return marker ? { versionId, deleteMarker: true } : { versionId };
}

export async function deleteVersioned(ctx: FsContext, bucket: string, key: string, versionId?: string, opts?: LockOptions): Promise<DeleteResult> {
  keyPaths(ctx, bucket, key); // validates bucket name and key first
  const state = await readVersioning(ctx, bucket);
  if (state === "Unversioned") {
    if (versionId !== undefined && versionId !== "null") throw new StorageError("InvalidArgument", "Invalid version id specified", 400);
    await obj.deleteObject(ctx, bucket, key);
    return {};
  }
  if (versionId !== undefined) return deleteOneVersion(ctx, bucket, key, versionId, opts);
  return createMarker(ctx, bucket, key, state === "Enabled");
}

/** A copy never takes the source's lock; `metadata.lock` (or the default retention) applies. */
export async function copyVersioned(ctx: FsContext, src: ObjectRef, dst: { bucket: string; key: string }, metadata: ObjectMetadata | null): Promise<PutResult> {
  const o = await openVersion(ctx, src.bucket, src.key, src.versionId);
  const body = dataStream(o);
  try {
    // Reading through the pinned handle makes copying an object onto itself safe.
    return await putVersioned(ctx, dst.bucket, dst.key, body, metadata ?? o.header.metadata);
  } finally {
    body.destroy();
  }
}
