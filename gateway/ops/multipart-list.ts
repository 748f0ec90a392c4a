// ListParts and ListMultipartUploads.
import type { UploadInfo } from "../../lib/storage/types";
import { renderListMultipartUploads, renderListParts } from "../xml-lists";
import { type OpRun, bucketOf, objectOf, ownerOf } from "./context";
import { optional, parseEncodingType, parseIntMarker, parseMaxKeys } from "./list-params";
import { requireUploadId } from "./multipart";
import { sendXml } from "./respond";

export async function listParts(run: OpRun): Promise<void> {
  const { bucket, key } = objectOf(run);
  const q = run.route.query;
  const uploadId = requireUploadId(q);
  const maxParts = parseMaxKeys(q, "max-parts");
  const marker = parseIntMarker(q, "part-number-marker");
  const { parts, isTruncated } = await run.storage.listParts(bucket, key, uploadId, {
    after: marker || undefined,
    maxParts,
  });
  sendXml(
    run,
    200,
    renderListParts({ bucket, key, uploadId, partNumberMarker: marker, maxParts, parts, isTruncated, owner: ownerOf(run) }),
  );
}

/**
 * The storage contract lists uploads by prefix only, so markers, delimiter
 * grouping and truncation are applied here over the first UPLOADS_SCAN
 * uploads (in-progress uploads are few; abandoned ones should be aborted).
 */
const UPLOADS_SCAN = 10000;

export async function listMultipartUploads(run: OpRun): Promise<void> {
  const bucket = bucketOf(run);
  const q = run.route.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = optional(q, "delimiter");
  const keyMarker = q.get("key-marker") ?? "";
  const uploadIdMarker = q.get("upload-id-marker") ?? "";
  const maxUploads = parseMaxKeys(q, "max-uploads");
  const encodingUrl = parseEncodingType(q);
  const all = await run.storage.listMultipartUploads(bucket, { prefix: prefix || undefined, maxUploads: UPLOADS_SCAN });
  const page = pageUploads(all, { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads });
  sendXml(
    run,
    200,
    renderListMultipartUploads({
      bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads, encodingUrl, owner: ownerOf(run), ...page,
    }),
  );
}

type PageParams = { prefix: string; delimiter?: string; keyMarker: string; uploadIdMarker: string; maxUploads: number };

export function pageUploads(all: UploadInfo[], p: PageParams) {
  const sorted = all
    .filter((u) => u.key.startsWith(p.prefix) && afterMarker(u, p.keyMarker, p.uploadIdMarker))
    // A key-marker that is a rolled-up prefix continues after everything under it.
    .filter((u) => !(p.delimiter && p.keyMarker.endsWith(p.delimiter) && u.key.startsWith(p.keyMarker)))
    .sort((a, b) => compare(a.key, b.key) || compare(a.uploadId, b.uploadId));
  const uploads: UploadInfo[] = [];
  const commonPrefixes: string[] = [];
  let isTruncated = false;
  let next: { key: string; uploadId: string } = { key: "", uploadId: "" };
  for (const u of sorted) {
    const cut = p.delimiter ? u.key.indexOf(p.delimiter, p.prefix.length) : -1;
    const common = cut === -1 ? undefined : u.key.slice(0, cut + p.delimiter!.length);
    if (common !== undefined && commonPrefixes.at(-1) === common) continue;
    if (uploads.length + commonPrefixes.length >= p.maxUploads) {
      isTruncated = true;
      break;
    }
    if (common !== undefined) commonPrefixes.push(common);
    else uploads.push(u);
    next = common !== undefined ? { key: common, uploadId: "" } : { key: u.key, uploadId: u.uploadId };
  }
  return { uploads, commonPrefixes, isTruncated, nextKeyMarker: next.key, nextUploadIdMarker: next.uploadId };
}

function afterMarker(u: UploadInfo, keyMarker: string, uploadIdMarker: string): boolean {
  if (!keyMarker) return true;
  if (u.key !== keyMarker) return u.key > keyMarker;
  return uploadIdMarker !== "" && u.uploadId > uploadIdMarker;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

