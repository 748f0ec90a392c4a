// Multipart uploads of the fs backend. Each upload is a directory
// <bucket>/uploads/<uploadId>/ holding upload.json (key, metadata, initiated) and one file per
// part (part-00001 ..., in the object format), outside the objects tree so listings never see
// them. An upload appears atomically (staged directory renamed in) and disappears atomically
// (renamed into the tmp dir, then deleted), so a part written concurrently either lands in the
// upload or fails with NoSuchUpload.
import { createHash, randomBytes } from "node:crypto";
import fsp, { type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { readHeader, type Digest, type Header } from "./fs-format";
import { mapLimit } from "./fs-list";
import {
  type FsContext, commitObject, dataStream, noSuchBucket, openObject, requireBucket, whenMissing,
} from "./fs-objects";
import { checkBucketName, checkUploadId, keyBytes, objectPath, uploadsDir } from "./fs-paths";
import { errCode, fsyncDir, guardBody, publish, removeDir, stage, tempName } from "./fs-write";
import { StorageError, type ByteRange, type ObjectMetadata, type PartInfo, type PutResult, type UploadInfo } from "./types";
import { cleanMetadata, etagOf } from "./fs-format";

type UploadJson = { key: string; metadata: ObjectMetadata; initiated: string };
type Upload = { dir: string; upload: UploadJson };

const noSuchUpload = () =>
  new StorageError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
const invalidPart = (n: number) =>
  new StorageError("InvalidPart", `One or more of the specified parts could not be found (part ${n}). The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.`);

const partName = (n: number) => `part-${String(n).padStart(5, "0")}`;
const PART_RE = /^part-(\d{5})$/;

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new StorageError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
  }
}

async function loadUpload(ctx: FsContext, bucket: string, key: string, uploadId: string): Promise<Upload> {
  checkBucketName(bucket);
  checkUploadId(uploadId);
  await ctx.ready;
  const dir = join(uploadsDir(ctx.layout, bucket), uploadId);
  let upload: UploadJson;
  try {
    upload = JSON.parse(await fsp.readFile(join(dir, "upload.json"), "utf8")) as UploadJson;
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchUpload);
  }
  if (upload.key !== key) throw noSuchUpload(); // as S3: the id is only valid with its key
  return { dir, upload };
}

async function writeDurable(path: string, data: string): Promise<void> {
  const h = await fsp.open(path, "wx", 0o644);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function createMultipartUpload(ctx: FsContext, bucket: string, key: string, metadata: ObjectMetadata): Promise<string> {
  keyBytes(key);
  await requireBucket(ctx, bucket);
  const uploadId = randomBytes(16).toString("base64url"); // 22 url-safe chars
  const staging = tempName(ctx.layout.tmpDir, "upload");
  await fsp.mkdir(staging);
  try {
    const json: UploadJson = { key, metadata: cleanMetadata(metadata), initiated: new Date().toISOString() };
    await writeDurable(join(staging, "upload.json"), JSON.stringify(json));
    await fsyncDir(staging);
    await fsp.rename(staging, join(uploadsDir(ctx.layout, bucket), uploadId));
  } catch (err) {
    await fsp.rm(staging, { recursive: true, force: true });
    throw errCode(err) === "ENOENT" ? noSuchBucket() : err;
  }
  await fsyncDir(uploadsDir(ctx.layout, bucket));
  return uploadId;
}

/** Stages a part and renames it into the upload; re-uploading a part number replaces it. */
async function writePart(ctx: FsContext, bucket: string, up: Upload, partNumber: number, body: AsyncIterable<Uint8Array | string>, size?: number): Promise<PutResult> {
  const staged = await stage(ctx.layout.tmpDir, { json: { key: up.upload.key, metadata: { userMetadata: {} } }, body, expectedSize: size });
  try {
    await publish(staged, join(up.dir, partName(partNumber))); // ENOENT: aborted or completed meanwhile
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchUpload);
  }
  return { etag: etagOf(staged.digest), size: staged.size, lastModified: staged.lastModified };
}

export async function uploadPart(
  ctx: FsContext, bucket: string, key: string, uploadId: string, partNumber: number, body: AsyncIterable<Uint8Array | string>, size?: number,
): Promise<PutResult> {
  guardBody(body);
  checkPartNumber(partNumber);
  return writePart(ctx, bucket, await loadUpload(ctx, bucket, key, uploadId), partNumber, body, size);
}

export async function uploadPartCopy(
  ctx: FsContext, src: { bucket: string; key: string; range?: ByteRange }, bucket: string, key: string, uploadId: string, partNumber: number,
): Promise<PutResult> {
  checkPartNumber(partNumber);
  const up = await loadUpload(ctx, bucket, key, uploadId);
  const opened = await openObject(ctx, src.bucket, src.key);
  let body;
  try {
    body = dataStream(opened, src.range);
  } catch (err) {
    await opened.h.close();
    throw err;
  }
  try {
    return await writePart(ctx, bucket, up, partNumber, body);
  } finally {
    body.destroy();
  }
}

const normalizeEtag = (etag: string) => String(etag).trim().replace(/^"|"$/g, "").toLowerCase();

async function readPart(dir: string, n: number): Promise<{ h: FileHandle; header: Header } | null> {
  let h: FileHandle;
  try {
    h = await fsp.open(join(dir, partName(n)), "r");
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    throw err;
  }
  try {
    return { h, header: await readHeader(h) };
  } catch (err) {
    await h.close();
    throw err;
  }
}

/** S3's checks, in S3's order: part order, then existence and ETags, then sizes. */
async function validateParts(ctx: FsContext, dir: string, parts: { partNumber: number; etag: string }[]): Promise<Header[]> {
  if (parts.length === 0) throw new StorageError("MalformedXML", "You must specify at least one part");
  parts.forEach((p, i) => {
    if (i > 0 && !(p.partNumber > parts[i - 1].partNumber)) {
      throw new StorageError("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
    }
  });
  const headers = await mapLimit(parts, 16, async (p) => {
    const part = Number.isInteger(p.partNumber) && p.partNumber >= 1 && p.partNumber <= 10000 ? await readPart(dir, p.partNumber) : null;
    if (!part) throw invalidPart(p.partNumber);
    await part.h.close();
    if (normalizeEtag(etagOf(part.header)) !== normalizeEtag(p.etag)) throw invalidPart(p.partNumber);
    return part.header;
  });
  headers.forEach((h, i) => {
    if (i < headers.length - 1 && h.size < ctx.minPartSize) {
      throw new StorageError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    }
  });
  return headers;
}

/** The parts' data in order; a part replaced since validation fails the assembly. */
async function* concatParts(dir: string, parts: { partNumber: number }[], expected: Header[]): AsyncGenerator<Uint8Array> {
  for (const [i, p] of parts.entries()) {
    const part = await readPart(dir, p.partNumber);
    if (!part || !part.header.md5.equals(expected[i].md5)) {
      await part?.h.close();
      throw invalidPart(p.partNumber);
    }
    const stream = dataStream(part);
    try {
      yield* stream;
    } finally {
      stream.destroy();
    }
  }
}

export async function completeMultipartUpload(
  ctx: FsContext, bucket: string, key: string, uploadId: string, parts: { partNumber: number; etag: string }[],
): Promise<PutResult> {
  const up = await loadUpload(ctx, bucket, key, uploadId);
  const headers = await validateParts(ctx, up.dir, parts);
  // The S3 multipart ETag: MD5 of the concatenated binary part MD5s, then "-<count>".
  const digest: Digest = { md5: createHash("md5").update(Buffer.concat(headers.map((h) => h.md5))).digest(), parts: parts.length };
  const { path, dirs } = objectPath(ctx.layout, bucket, key);
  const body = concatParts(up.dir, parts, headers);
  const staged = await stage(ctx.layout.tmpDir, { json: { key, metadata: up.upload.metadata }, body, digest });
  const result = await commitObject(ctx, bucket, staged, path, dirs);
  await removeDir(ctx.layout.tmpDir, up.dir); // a crash before this leaves the upload listed: abort or complete it again
  await fsyncDir(uploadsDir(ctx.layout, bucket));
  return result;
}

export async function abortMultipartUpload(ctx: FsContext, bucket: string, key: string, uploadId: string): Promise<void> {
  const up = await loadUpload(ctx, bucket, key, uploadId);
  if (!(await removeDir(ctx.layout.tmpDir, up.dir))) throw noSuchUpload();
  await fsyncDir(uploadsDir(ctx.layout, bucket));
}

export async function listParts(
  ctx: FsContext, bucket: string, key: string, uploadId: string, p: { after?: number; maxParts: number },
): Promise<{ parts: PartInfo[]; isTruncated: boolean }> {
  const up = await loadUpload(ctx, bucket, key, uploadId);
  const numbers = (await fsp.readdir(up.dir))
    .map((name) => PART_RE.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter((n) => n > (p.after ?? 0))
    .sort((a, b) => a - b);
  const maxParts = Math.max(0, Math.min(1000, Math.floor(p.maxParts)));
  const page = numbers.slice(0, maxParts);
  const infos = await mapLimit(page, 16, async (n) => {
    const part = await readPart(up.dir, n);
    if (!part) return null; // vanished with a concurrent complete/abort
    await part.h.close();
    return { partNumber: n, etag: etagOf(part.header), size: part.header.size, lastModified: part.header.lastModified };
  });
  return { parts: infos.filter((i): i is PartInfo => i !== null), isTruncated: numbers.length > page.length };
}

export async function listMultipartUploads(ctx: FsContext, bucket: string, p: { prefix?: string; maxUploads: number }): Promise<UploadInfo[]> {
  await requireBucket(ctx, bucket);
  const dir = uploadsDir(ctx.layout, bucket);
  const ids = (await fsp.readdir(dir).catch(() => [] as string[])).filter((id) => /^[A-Za-z0-9_-]{22}$/.test(id));
  const loaded = await mapLimit(ids, 32, async (uploadId) => {
    const raw = await fsp.readFile(join(dir, uploadId, "upload.json"), "utf8").catch(() => null);
    if (raw === null) return null; // completed or aborted meanwhile
    const u = JSON.parse(raw) as UploadJson;
    return { uploadId, key: u.key, initiated: new Date(u.initiated), bytes: Buffer.from(u.key, "utf8") };
  });
  const prefix = p.prefix ?? "";
  return loaded
    .filter((u): u is NonNullable<typeof u> => u !== null && u.key.startsWith(prefix))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes) || a.initiated.getTime() - b.initiated.getTime() || (a.uploadId < b.uploadId ? -1 : 1))
    .slice(0, Math.max(0, p.maxUploads))
    .map(({ uploadId, key, initiated }) => ({ uploadId, key, initiated }));
}
