// Object helpers of the fs backend (bucket checks, open, commit, delete of an unversioned
// object) that the versioned and multipart code build on. Layout and guarantees: see fs-backend.ts.
import fsp, { type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import type { DirCache } from "./fs-dircache";
import { etagOf, readHeader, type Header } from "./fs-format";
import { checkBucketName, objectPath, objectsDir, type Label, type Layout } from "./fs-paths";
import { ensureDirs, errCode, fsyncDir, publish, pruneEmptyDirs, type Staged } from "./fs-write";
import { StorageError, type ByteRange, type PutResult } from "./types";

export type FsContext = { layout: Layout; minPartSize: number; ready: Promise<void>; dirCache?: DirCache };

export const noSuchBucket = () => new StorageError("NoSuchBucket", "The specified bucket does not exist");
export const noSuchKey = () => new StorageError("NoSuchKey", "The specified key does not exist.");

/** The bucket's objects directory; NoSuchBucket when the bucket does not exist. */
export async function requireBucket(ctx: FsContext, bucket: string): Promise<string> {
  checkBucketName(bucket);
  await ctx.ready;
  const dir = objectsDir(ctx.layout, bucket);
  const st = await fsp.stat(dir).catch((err) => (errCode(err) === "ENOENT" ? null : Promise.reject(err)));
  if (!st?.isDirectory()) throw noSuchBucket();
  return dir;
}

/** ENOENT means the bucket or the thing itself is missing; find out which. */
export async function whenMissing(ctx: FsContext, bucket: string, err: unknown, notFound: () => StorageError): Promise<never> {
  if (errCode(err) !== "ENOENT" && errCode(err) !== "ENOTDIR") throw err;
  await requireBucket(ctx, bucket);
  throw notFound();
}

export type Opened = { h: FileHandle; header: Header };

/**
 * Opens an object; the handle pins that version even if it is replaced or deleted meanwhile.
 * (GET has its own path on plain descriptors: fs-read.ts.)
 */
export async function openObject(ctx: FsContext, bucket: string, key: string): Promise<Opened> {
  await ctx.ready;
  const { path } = objectPath(ctx.layout, bucket, key);
  let h: FileHandle;
  try {
    h = await fsp.open(path, "r");
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchKey);
  }
  return checkedOpen(h, path);
}

/** The open object file's header, after checking the file holds all of its data (closed if not). */
export async function checkedOpen(h: FileHandle, path: string): Promise<Opened> {
  try {
    const { header } = await readHeader(h);
    const { size } = await h.stat();
    if (size !== header.dataOffset + header.size) throw new Error(`object file ${path} is damaged`);
    return { h, header };
  } catch (err) {
    await h.close();
    throw err;
  }
}

export function checkRange(range: ByteRange, size: number): void {
  const ok = Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end);
  if (!ok || range.start < 0 || range.end < range.start || range.end >= size) {
    throw new StorageError("InvalidRange", "The requested range is not satisfiable");
  }
}

/** Streams the data (or an inclusive range of it) from an opened object; closes the handle when done. */
export function dataStream({ h, header }: Opened, range?: ByteRange): Readable {
  if (range) checkRange(range, header.size);
  const r = range ?? (header.size > 0 ? { start: 0, end: header.size - 1 } : null);
  if (!r) {
    void h.close();
    return Readable.from([]);
  }
  // 256 KiB reads: a quarter of the syscalls and stream callbacks of the 64 KiB default on large objects.
  return h.createReadStream({ start: header.dataOffset + r.start, end: header.dataOffset + r.end, highWaterMark: 256 * 1024 });
}

/** Makes a staged object visible under its key, creating the key's directories as needed. */
export async function commitObject(ctx: FsContext, bucket: string, staged: Staged, path: string, dirs: Label[]): Promise<PutResult> {
  const objects = objectsDir(ctx.layout, bucket);
  try {
    await publish(staged, path, () => ensureDirs(objects, dirs));
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchBucket);
  }
  return { etag: etagOf(staged.digest), size: staged.size, lastModified: staged.lastModified };
}

export async function deleteObject(ctx: FsContext, bucket: string, key: string): Promise<void> {
  const { path } = objectPath(ctx.layout, bucket, key);
  await ctx.ready;
  try {
    await fsp.unlink(path);
  } catch (err) {
    if (errCode(err) !== "ENOENT" && errCode(err) !== "ENOTDIR") throw err;
    await requireBucket(ctx, bucket); // deleting a missing key succeeds, but only in an existing bucket
    return;
  }
  await fsyncDir(dirname(path));
  // Empty directories would only slow listings down; a concurrent writer re-creates them.
  await pruneEmptyDirs(objectsDir(ctx.layout, bucket), dirname(path));
}
