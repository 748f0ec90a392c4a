// Multipart upload: create, upload part, complete, abort.
import type { TLSSocket } from "node:tls";
import { S3Error, invalidArgument, noSuchUpload } from "../errors";
import { extractMetadata } from "../http";
import { headerValue } from "../router-headers";
import { renderCompleteMultipartUpload, renderInitiateMultipartUpload } from "../xml";
import { parseCompleteMultipartUpload, readXmlBody } from "../xml-parse";
import { StorageError } from "../../lib/storage/types";
import { prepareUpload } from "./body";
import { completedEarlier } from "./complete-repeat";
import { type OpRun, objectOf } from "./context";
import { readLockHeaders } from "./lock-headers";
import { checkStorageClass, checkWritePreconditions } from "./object-write";
import { sendEmpty, sendXml } from "./respond";
import { versionHeader } from "./versions";

/** partNumber must be an integer in 1..10000. */
export function parsePartNumber(q: URLSearchParams): number {
  const raw = q.get("partNumber") ?? "";
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= 10000)) {
    throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", raw);
  }
  return value;
}

export function requireUploadId(q: URLSearchParams): string {
  const uploadId = q.get("uploadId");
  if (!uploadId) throw noSuchUpload();
  return uploadId;
}

export async function createMultipartUpload(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  checkStorageClass(run.req.headers);
  const metadata = extractMetadata(run.req.headers);
  const lock = readLockHeaders(run);
  if (lock) metadata.lock = lock;
  const uploadId = await run.storage.createMultipartUpload(bucket, key, metadata);
  sendXml(run, 200, renderInitiateMultipartUpload(bucket, key, uploadId));
}

export async function uploadPart(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  const partNumber = parsePartNumber(run.route.query);
  const uploadId = requireUploadId(run.route.query);
  const upload = prepareUpload(run);
  const result = await upload.run(run.storage.uploadPart(bucket, key, uploadId, partNumber, upload.stream));
  sendEmpty(run, 200, { etag: result.etag });
}

export async function completeMultipartUpload(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  const uploadId = requireUploadId(run.route.query);
  const parts = parseCompleteMultipartUpload(await readXmlBody(run.body));
  try {
    await checkWritePreconditions(run, bucket, key);
  } catch (err) {
    // A retry of a conditional completion that went through: the object is now this upload's result.
    const repeat = err instanceof S3Error && err.code === "PreconditionFailed" && !(await uploadExists(run, bucket, key, uploadId));
    const earlier = repeat ? await completedEarlier(run.storage, bucket, key, parts) : null;
    if (earlier === null) throw err;
    return sendXml(run, 200, renderCompleteMultipartUpload(objectUrl(run, bucket, key), bucket, key, earlier));
  }
  const { etag, versionId } = await run.storage.completeMultipartUpload(bucket, key, uploadId, parts).then(
    (result) => result,
    async (err) => {
      const earlier = err instanceof StorageError && err.code === "NoSuchUpload" ? await completedEarlier(run.storage, bucket, key, parts) : null;
      if (earlier === null) throw err;
      return { etag: earlier, versionId: undefined };
    },
  );
  sendXml(run, 200, renderCompleteMultipartUpload(objectUrl(run, bucket, key), bucket, key, etag), versionHeader(versionId));
}

async function uploadExists(run: OpRun, bucket: string, key: string, uploadId: string): Promise<boolean> {
  return run.storage.listParts(bucket, key, uploadId, { maxParts: 1 }).then(() => true, (err) => {
    if (err instanceof StorageError && err.code === "NoSuchUpload") return false;
    throw err;
  });
}

export async function abortMultipartUpload(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  await run.storage.abortMultipartUpload(bucket, key, requireUploadId(run.route.query));
  sendEmpty(run, 204);
}

/** The object's URL as the client addressed the gateway (CompleteMultipartUploadResult Location). */
function objectUrl(run: OpRun, bucket: string, key: string): string {
  const scheme = (run.req.socket as TLSSocket).encrypted ? "https" : "http";
  const host = headerValue(run.req.headers, "host") ?? "localhost";
  const path = key.split("/").map(encodeURIComponent).join("/");
  return run.route.style === "virtual" ? `${scheme}://${host}/${path}` : `${scheme}://${host}/${bucket}/${path}`;
}
