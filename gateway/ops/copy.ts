// CopyObject and UploadPartCopy: source lookup, x-amz-copy-source-if-*
// conditions, metadata directive and x-amz-copy-source-range.
import type { ByteRange, ObjectInfo, ObjectRef } from "../../lib/storage/types";
import { S3Error, invalidArgument, invalidRequest } from "../errors";
import { evaluateConditionals, extractMetadata, readConditionals } from "../http";
import { headerValue } from "../router-headers";
import { renderCopyObjectResult, renderCopyPartResult } from "../xml";
import { type OpRun, objectOf } from "./context";
import { readLockHeaders } from "./lock-headers";
import { checkStorageClass } from "./object-write";
import { parsePartNumber, requireUploadId } from "./multipart";
import { sendXml } from "./respond";
import { versionHeader } from "./versions";

const MAX_COPY_SOURCE_BYTES = 5 * 1024 ** 3;

function copySourceOf(run: OpRun): ObjectRef {
  const src = run.route.copySource;
  if (!src) throw invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source");
  return { bucket: src.bucket, key: src.key, versionId: src.versionId };
}

/**
 * Looks the source up and applies the copy-source conditions (every failure → 412). The copy
 * then reads the version this lookup saw, so conditions and data always belong together.
 */
async function resolveSource(run: OpRun): Promise<ObjectRef & { info: ObjectInfo }> {
  const src = copySourceOf(run);
  const info = await run.storage.headObject(src.bucket, src.key, src.versionId);
  const verdict = evaluateConditionals(readConditionals(run.req.headers, "x-amz-copy-source-"), info, "copy");
  if (verdict instanceof S3Error) throw verdict;
  return { ...src, versionId: src.versionId ?? info.versionId, info };
}

/** The source version (when versioned) and the new version of the target. */
const copyHeaders = (source: ObjectInfo, versionId?: string) => ({
  ...(source.versionId === undefined ? {} : { "x-amz-copy-source-version-id": source.versionId }),
  ...versionHeader(versionId),
});

export async function copyObject(run: OpRun): Promise<void> {
  const dst = objectOf(run);
  checkStorageClass(run.req.headers);
  const directive = (headerValue(run.req.headers, "x-amz-metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") {
    throw invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  }
  const src = copySourceOf(run);
  if (src.bucket === dst.bucket && src.key === dst.key && src.versionId === undefined && directive !== "REPLACE") {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const metadata = directive === "REPLACE" ? extractMetadata(run.req.headers) : null;
  const source = await resolveSource(run);
  if (source.info.size > MAX_COPY_SOURCE_BYTES) {
    throw invalidRequest(
      `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`,
    );
  }
  // A copy never takes the source's lock; lock headers apply to the new version (with the
  // source's metadata when the directive is COPY).
  const lock = readLockHeaders(run);
  const result = await run.storage.copyObject(source, dst, lock ? { ...(metadata ?? source.info.metadata), lock } : metadata);
  sendXml(run, 200, renderCopyObjectResult(result.etag, result.lastModified), copyHeaders(source.info, result.versionId));
}

export async function uploadPartCopy(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  const partNumber = parsePartNumber(run.route.query);
  const uploadId = requireUploadId(run.route.query);
  const source = await resolveSource(run);
  const range = parseCopySourceRange(headerValue(run.req.headers, "x-amz-copy-source-range"), source.info.size);
  const result = await run.storage.uploadPartCopy(
    { bucket: source.bucket, key: source.key, versionId: source.versionId, ...(range ? { range } : {}) },
    bucket,
    key,
    uploadId,
    partNumber,
  );
  sendXml(run, 200, renderCopyPartResult(result.etag, result.lastModified), copyHeaders(source.info));
}

/** x-amz-copy-source-range: exactly "bytes=first-last", inside the source object. */
export function parseCopySourceRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2]) : NaN;
  if (!(start <= end && end < size)) {
    throw invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      "x-amz-copy-source-range",
      header,
    );
  }
  return { start, end };
}
