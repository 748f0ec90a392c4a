// PutObject (incl. conditional writes) and DeleteObject.
import type { IncomingHttpHeaders } from "node:http";
import { StorageError } from "../../lib/storage/types";
import { S3Error, noSuchKey, notImplemented } from "../errors";
import { type Conditionals, evaluateConditionals, extractMetadata, readConditionals } from "../http";
import { headerValue } from "../router-headers";
import { prepareUpload } from "./body";
import { lockOptions, readLockHeaders, requireIntegrity } from "./lock-headers";
import { type OpRun, objectOf } from "./context";
import { sendEmpty } from "./respond";
import { deleteHeaders, versionHeader } from "./versions";

/** Only STANDARD storage exists; other classes are refused rather than silently downgraded. */
export function checkStorageClass(headers: IncomingHttpHeaders): void {
  const value = headerValue(headers, "x-amz-storage-class");
  if (value !== undefined && value !== "STANDARD") {
    throw new S3Error("InvalidStorageClass", "The storage class you specified is not valid", 400, {
      StorageClassRequested: value,
    });
  }
}

export async function putObject(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  checkStorageClass(run.req.headers);
  const metadata = extractMetadata(run.req.headers);
  const lock = readLockHeaders(run);
  if (lock) {
    requireIntegrity(run.req.headers, "Put Object");
    metadata.lock = lock;
  }
  await checkWritePreconditions(run, bucket, key);
  const upload = prepareUpload(run);
  // With lock settings the size is passed on: the s3 backend then sends a checksum upstream.
  const size = lock ? declaredSize(run) : undefined;
  const result = await upload.run(run.storage.putObject(bucket, key, upload.stream, metadata, size, verifiedMd5(run)));
  sendEmpty(run, 200, { etag: result.etag, ...versionHeader(result.versionId) });
}

/** The decoded body length the client declared (aws-chunked bodies carry it separately). */
function declaredSize(run: OpRun): number | undefined {
  const value = headerValue(run.req.headers, "x-amz-decoded-content-length") ?? headerValue(run.req.headers, "content-length");
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * The Content-MD5 the body is verified against while it streams (gateway/request-body.ts: the
 * stream errors before its end on a mismatch, so storage never commits other data with it).
 * Storage then uses it as the ETag instead of hashing the data a second time.
 */
function verifiedMd5(run: OpRun): Buffer | undefined {
  const value = run.bodyVerified ? run.req.headersDistinct["content-md5"]?.[0] : undefined; // the value request-body.ts checks
  const md5 = value === undefined ? undefined : Buffer.from(value, "base64");
  return md5?.length === 16 ? md5 : undefined;
}

/**
 * Conditional writes (If-None-Match: * / If-Match), as S3 offers them on PutObject and
 * CompleteMultipartUpload. The check runs before the commit; a concurrent writer between check
 * and commit can still win (the fs backend has no compare-and-swap), which we accept.
 */
export async function checkWritePreconditions(run: OpRun, bucket: string, key: string): Promise<void> {
  const all = readConditionals(run.req.headers);
  const c: Conditionals = { ifMatch: all.ifMatch, ifNoneMatch: all.ifNoneMatch };
  if (c.ifMatch === undefined && c.ifNoneMatch === undefined) return;
  if (c.ifNoneMatch !== undefined && c.ifNoneMatch.trim() !== "*") {
    throw notImplemented("If-None-Match on writes only supports *");
  }
  let info;
  try {
    info = await run.storage.headObject(bucket, key);
  } catch (err) {
    if (!(err instanceof StorageError && err.code === "NoSuchKey")) throw err;
    if (c.ifMatch !== undefined) throw noSuchKey(key);
    return;
  }
  const verdict = evaluateConditionals(c, info, "write");
  if (verdict instanceof S3Error) throw verdict;
}

export async function deleteObject(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  sendEmpty(run, 204, deleteHeaders(await run.storage.deleteObject(bucket, key, run.route.versionId, lockOptions(run))));
}
