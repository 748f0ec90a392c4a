// DeleteObjects: up to 1000 keys per request, reported per key (quiet mode
// lists only failures). Deletes run with bounded concurrency, results keep
// request order.
import { StorageError } from "../../lib/storage/types";
import { noSuchBucket } from "../errors";
import { checkKeyLength } from "../router-headers";
import { type DeleteOutcome, renderDeleteResult } from "../xml";
import { MAX_XML_BODY_BYTES, parseDeleteRequest, readXmlBody } from "../xml-parse";
import { prepareUpload } from "./body";
import { lockOptions } from "./lock-headers";
import { type OpRun, bucketOf } from "./context";
import { sendXml } from "./respond";

const CONCURRENCY = 8;

export async function deleteObjects(run: OpRun): Promise<void> {
  const bucket = bucketOf(run);
  // Through prepareUpload so a Content-MD5, when sent, is verified.
  const upload = prepareUpload(run);
  const request = parseDeleteRequest(await upload.run(readXmlBody(upload.stream, MAX_XML_BODY_BYTES)));
  if (!(await run.storage.bucketExists(bucket))) throw noSuchBucket(bucket);
  const outcomes = await mapLimit(request.objects, CONCURRENCY, (o) => deleteOne(run, bucket, o.key, o.versionId));
  sendXml(run, 200, renderDeleteResult(outcomes, request.quiet));
}

async function deleteOne(run: OpRun, bucket: string, key: string, versionId?: string): Promise<DeleteOutcome> {
  const base = versionId === undefined ? { key } : { key, versionId };
  const tooLong = checkKeyLength(key);
  if (tooLong) return { ...base, deleted: false, code: tooLong.code, message: tooLong.message };
  // The request was authorized for the bucket; each entry is checked against the key's scope
  // too, so a prefix-limited key cannot delete names outside its prefix.
  const denied = run.authorizeObject?.(key, versionId);
  if (denied) return { ...base, deleted: false, code: denied.code, message: denied.message };
  try {
    const r = await run.storage.deleteObject(bucket, key, versionId, lockOptions(run));
    if (!r.deleteMarker) return { ...base, deleted: true };
    // A marker created (no versionId: the new marker's id) or a marker removed (its versionId): S3 reports both.
    return { ...base, deleted: true, deleteMarker: true, deleteMarkerVersionId: versionId ?? r.versionId };
  } catch (err) {
    if (err instanceof StorageError && err.status < 500) {
      return { ...base, deleted: false, code: err.code, message: err.message };
    }
    run.onError?.(err);
    return { ...base, deleted: false, code: "InternalError", message: "We encountered an internal error. Please try again." };
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
