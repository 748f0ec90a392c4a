// Multipart uploads of the fs backend. Each upload is a directory
// <bucket>/uploads/<uploadId>/ holding upload.json (key, metadata, initiated) and one file per
// part (part-00001 ..., in the object format), outside the objects tree so listings never see
// them. An upload appears atomically (staged directory renamed in) and disappears atomically
// (renamed into the tmp dir, then deleted), so a part written concurrently either lands in the
// upload or fails with NoSuchUpload.
import { createHash, randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import { join } from "node:path";
import { cleanMetadata, etagOf, type Digest, type Header } from "./fs-format";
import { mapLimit } from "./fs-list";
import { type FsContext, dataStream, noSuchBucket, requireBucket, whenMissing } from "./fs-objects";
import { keyBytes, uploadsDir } from "./fs-paths";
import {
  type Upload, type UploadJson, invalidPart, loadUpload, noSuchUpload, partName, readPart,
} from "./fs-uploads";
import { DIR_MODE, FILE_MODE, errCode, fsyncDir, guardBody, publish, removeDir, stage, tempName } from "./fs-write";
import { openVersion } from "./fs-versions-read";
import { prepareWrite } from "./fs-versions-write";
import { readLockFile } from "./fs-object-lock";
import { fromLockJson, missingLockConfig, toLockJson } from "./fs-version-lock";
import { StorageError, type ByteRange, type ObjectMetadata, type ObjectRef, type PutResult } from "./types";

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new StorageError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
  }
}

async function writeDurable(path: string, data: string): Promise<void> {
  const h = await fsp.open(path, "wx", FILE_MODE);
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
  await fsp.mkdir(staging, DIR_MODE);
  try {
    // Object Lock asked for at creation is checked now and applied when the upload completes.
    const lock = metadata.lock && Object.keys(toLockJson(metadata.lock)).length ? toLockJson(metadata.lock) : undefined;
    if (lock && !(await readLockFile(ctx, bucket)).enabled) throw missingLockConfig(true);
    const json: UploadJson = { key, metadata: cleanMetadata(metadata), initiated: new Date().toISOString(), ...(lock ? { lock } : {}) };
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
  ctx: FsContext, src: ObjectRef & { range?: ByteRange }, bucket: string, key: string, uploadId: string, partNumber: number,
): Promise<PutResult> {
  checkPartNumber(partNumber);
  const up = await loadUpload(ctx, bucket, key, uploadId);
  const opened = await openVersion(ctx, src.bucket, src.key, src.versionId);
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
  const metadata = up.upload.lock ? { ...up.upload.metadata, lock: fromLockJson(up.upload.lock) } : up.upload.metadata;
  const target = await prepareWrite(ctx, bucket, key, metadata); // a new version in versioned buckets
  const body = concatParts(up.dir, parts, headers);
  const staged = await stage(ctx.layout.tmpDir, { json: target.json, body, digest });
  const result = await target.commit(staged);
  await removeDir(ctx.layout.tmpDir, up.dir); // a crash before this leaves the upload listed: abort or complete it again
  await fsyncDir(uploadsDir(ctx.layout, bucket));
  return result;
}

export async function abortMultipartUpload(ctx: FsContext, bucket: string, key: string, uploadId: string): Promise<void> {
  const up = await loadUpload(ctx, bucket, key, uploadId);
  if (!(await removeDir(ctx.layout.tmpDir, up.dir))) throw noSuchUpload();
  await fsyncDir(uploadsDir(ctx.layout, bucket));
}
