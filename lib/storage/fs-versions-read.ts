// Reading versions in the fs backend: a key's versions newest first, one version opened by id,
// GET and HEAD of versioned buckets. Layout: fs-versions.ts.
import fsp, { type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { infoOf, readHeaderAt, type Header } from "./fs-format";
import { type FsContext, type Opened, checkedOpen, dataStream, noSuchKey, openObject, requireBucket } from "./fs-objects";
import { errCode } from "./fs-write";
import {
  type KeyPaths, type VersionJson, VERSION_FILE_RE, cachedVersioning, checkVersionId, keyPaths, noSuchVersion,
  readVersioning, seqOfDate,
} from "./fs-versions";
import { readLockState } from "./fs-version-lock";
import { StorageError, type ByteRange, type GetResult, type ObjectInfo } from "./types";

/** One version of a key; `header` is known for the null version (its seq decides its place). */
export type VersionEntry = { id: string; seq: string; marker: boolean; path: string; header?: Header };

const isMissing = (err: unknown) => errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR";

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

export async function readHeaderOrNull(path: string): Promise<Header | null> {
  try {
    return await readHeaderAt(path);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/**
 * The key's versions and delete markers, newest first. `has` (from a listing's directory read)
 * says which of the null version and the versions directory exist, to skip the others.
 */
export async function keyVersions(paths: Pick<KeyPaths, "nullPath" | "versionsDir">, has?: { f: boolean; v: boolean }): Promise<VersionEntry[]> {
  const [names, nullHeader] = await Promise.all([
    has && !has.v ? [] : readdirOrEmpty(paths.versionsDir),
    has && !has.f ? null : readHeaderOrNull(paths.nullPath),
  ]);
  const out: VersionEntry[] = [];
  // Keys can hold many thousands of versions: a test, two slices and a concatenation per name
  // (the directory path is already normal) instead of a match array and path.join.
  const dir = `${paths.versionsDir}/`;
  for (const name of names) {
    if (!VERSION_FILE_RE.test(name)) continue;
    const id = name.slice(0, 24);
    out.push({ id, seq: id, marker: name.endsWith("m"), path: dir + name });
  }
  if (nullHeader) {
    const json = nullHeader as Header & VersionJson;
    out.push({ id: "null", seq: json.seq ?? seqOfDate(nullHeader.lastModified), marker: Boolean(json.deleteMarker), path: paths.nullPath, header: nullHeader });
  }
  return out.sort((a, b) => (a.seq < b.seq ? 1 : a.seq > b.seq ? -1 : 0));
}

const markerHeaders = (id: string) => ({ "x-amz-delete-marker": "true", "x-amz-version-id": id });

/** GET/HEAD of a key whose latest version is a delete marker (S3: 404 with the marker's headers). */
const deletedKey = (id: string) => new StorageError("NoSuchKey", "The specified key does not exist.", 404, markerHeaders(id));
const markerVersion = (id: string) =>
  new StorageError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, { ...markerHeaders(id), allow: "DELETE" });

/** Opens a version file; null when it does not exist (any more). */
async function openAt(path: string): Promise<Opened | null> {
  let h: FileHandle;
  try {
    h = await fsp.open(path, "r");
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  return checkedOpen(h, path);
}

export type OpenedVersion = Opened & { info: ObjectInfo };

/** An opened version that is an object (callers have ruled out null delete markers). */
const opened = (o: Opened, key: string, id: string): OpenedVersion => ({ ...o, info: { ...infoOf(o.header), key, versionId: id } });

/** The latest version; a version deleted while we looked is skipped by looking again. */
async function openLatest(paths: KeyPaths, key: string): Promise<OpenedVersion> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = (await keyVersions(paths))[0];
    if (!latest) throw noSuchKey();
    if (latest.marker) throw deletedKey(latest.id);
    const o = await openAt(latest.path);
    if (!o) continue;
    if ((o.header as Header & VersionJson).deleteMarker) {
      await o.h.close();
      throw deletedKey(latest.id); // the null version became a marker meanwhile
    }
    return opened(o, key, latest.id);
  }
  throw noSuchKey();
}

async function openById(paths: KeyPaths, key: string, id: string): Promise<OpenedVersion> {
  checkVersionId(id);
  const path = id === "null" ? paths.nullPath : join(paths.versionsDir, `${id}.o`);
  const o = await openAt(path);
  if (o) {
    if (id === "null" && (o.header as Header & VersionJson).deleteMarker) {
      await o.h.close();
      throw markerVersion(id);
    }
    return opened(o, key, id);
  }
  if (id !== "null" && (await fsp.stat(join(paths.versionsDir, `${id}.m`)).catch(() => null))) throw markerVersion(id);
  throw noSuchVersion();
}

/**
 * Opens a key's latest version or the one named by `versionId`, in any bucket. The handle pins
 * the version; the caller closes it (dataStream does). NoSuchBucket when the bucket is missing.
 */
export async function openVersion(ctx: FsContext, bucket: string, key: string, versionId?: string): Promise<OpenedVersion> {
  const state = versionId === undefined ? await cachedVersioning(ctx, bucket) : await readVersioning(ctx, bucket);
  if (state === "Unversioned") {
    if (versionId !== undefined && versionId !== "null") throw new StorageError("InvalidArgument", "Invalid version id specified", 400);
    const o = await openObject(ctx, bucket, key);
    return { ...o, info: infoOf(o.header) };
  }
  const paths = keyPaths(ctx, bucket, key);
  try {
    return versionId === undefined ? await openLatest(paths, key) : await openById(paths, key, versionId);
  } catch (err) {
    const missing = err instanceof StorageError && (err.code === "NoSuchKey" || err.code === "NoSuchVersion");
    if (missing) await requireBucket(ctx, bucket); // NoSuchBucket when the bucket was deleted meanwhile
    throw err;
  }
}

/** The version's info with its Object Lock state (fs-version-lock.ts), when it has one. */
async function withLock(ctx: FsContext, bucket: string, key: string, o: OpenedVersion): Promise<ObjectInfo> {
  if (o.info.versionId === undefined) return o.info; // unversioned buckets hold no locks
  const lock = await readLockState(keyPaths(ctx, bucket, key).versionsDir, o.info.versionId, o.header);
  return lock.retention || lock.legalHold !== undefined ? { ...o.info, lock } : o.info;
}

export async function headVersion(ctx: FsContext, bucket: string, key: string, versionId?: string): Promise<ObjectInfo> {
  const o = await openVersion(ctx, bucket, key, versionId);
  try {
    return await withLock(ctx, bucket, key, o);
  } finally {
    await o.h.close();
  }
}

export async function getVersion(ctx: FsContext, bucket: string, key: string, range?: ByteRange, versionId?: string): Promise<GetResult> {
  const o = await openVersion(ctx, bucket, key, versionId);
  try {
    return { info: await withLock(ctx, bucket, key, o), body: dataStream(o, range) };
  } catch (err) {
    await o.h.close();
    throw err;
  }
}
