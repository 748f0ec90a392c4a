// Multipart upload state on disk and its read-only operations (ListParts,
// ListMultipartUploads). Layout and lifecycle: see fs-multipart.ts.
import fsp, { type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { etagOf, readHeader, type Header } from "./fs-format";
import { mapLimit } from "./fs-list";
import { type FsContext, requireBucket, whenMissing } from "./fs-objects";
import { checkBucketName, checkUploadId, uploadsDir } from "./fs-paths";
import type { LockJson } from "./fs-version-lock";
import { errCode } from "./fs-write";
import { StorageError, type ObjectMetadata, type PartInfo, type UploadInfo } from "./types";

/** `lock`: Object Lock asked for by CreateMultipartUpload (fs-version-lock.ts), applied on completion. */
export type UploadJson = { key: string; metadata: ObjectMetadata; initiated: string; lock?: LockJson };
export type Upload = { dir: string; upload: UploadJson };

export const noSuchUpload = () =>
  new StorageError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
export const invalidPart = (n: number) =>
  new StorageError("InvalidPart", `One or more of the specified parts could not be found (part ${n}). The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.`);

export const partName = (n: number) => `part-${String(n).padStart(5, "0")}`;
const PART_RE = /^part-(\d{5})$/;

export async function loadUpload(ctx: FsContext, bucket: string, key: string, uploadId: string): Promise<Upload> {
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

export async function readPart(dir: string, n: number): Promise<{ h: FileHandle; header: Header } | null> {
  let h: FileHandle;
  try {
    h = await fsp.open(join(dir, partName(n)), "r");
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    throw err;
  }
  try {
    return { h, header: (await readHeader(h)).header };
  } catch (err) {
    await h.close();
    throw err;
  }
}

export async function listParts(
  ctx: FsContext, bucket: string, key: string, uploadId: string, p: { after?: number; maxParts: number },
): Promise<{ parts: PartInfo[]; isTruncated: boolean }> {
  const up = await loadUpload(ctx, bucket, key, uploadId);
  const names = await fsp.readdir(up.dir).catch((err) => whenMissing(ctx, bucket, err, noSuchUpload)); // completed meanwhile
  const numbers = names
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
