// Listing documents: ListAllMyBucketsResult, ListBucketResult (v1, v2),
// ListVersionsResult, ListPartsResult, ListMultipartUploadsResult.
import type { ObjectInfo, ObjectVersion, PartInfo, UploadInfo } from "../lib/storage/types";
import { el, node, s3UrlEncode, xmlDocument } from "./xml";

export type Owner = { id: string; displayName: string };

type Encoder = (value: string | undefined) => string | undefined;

function encoderFor(encodingUrl: boolean): Encoder {
  return (v) => (v === undefined || !encodingUrl ? v : s3UrlEncode(v));
}

const ownerXml = (name: string, owner: Owner) => node(name, el("ID", owner.id), el("DisplayName", owner.displayName));
const commonPrefixesXml = (prefixes: string[], enc: Encoder) =>
  prefixes.map((p) => node("CommonPrefixes", el("Prefix", enc(p)))).join("");

function contentsXml(objects: ObjectInfo[], enc: Encoder, owner?: Owner): string {
  return objects
    .map((o) =>
      node(
        "Contents",
        el("Key", enc(o.key)),
        el("LastModified", o.lastModified.toISOString()),
        el("ETag", o.etag),
        el("Size", o.size),
        owner && ownerXml("Owner", owner),
        el("StorageClass", "STANDARD"),
      ),
    )
    .join("");
}

export function renderListBuckets(input: {
  buckets: { name: string; createdAt: Date }[];
  owner: Owner;
  region: string;
  prefix?: string;
  continuationToken?: string;
}): string {
  const buckets = input.buckets.map((b) =>
    node("Bucket", el("Name", b.name), el("CreationDate", b.createdAt.toISOString()), el("BucketRegion", input.region)),
  );
  return xmlDocument(
    "ListAllMyBucketsResult",
    ownerXml("Owner", input.owner) +
      node("Buckets", ...buckets) +
      el("Prefix", input.prefix) +
      el("ContinuationToken", input.continuationToken),
  );
}

export type ListPage = {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encodingUrl: boolean;
  objects: ObjectInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
};

/** ListObjects v1: NextMarker only with a delimiter, as S3 documents. */
export function renderListObjectsV1(page: ListPage & { marker: string; nextMarker?: string; owner: Owner }): string {
  const enc = encoderFor(page.encodingUrl);
  return xmlDocument(
    "ListBucketResult",
    el("Name", page.bucket) +
      el("Prefix", enc(page.prefix)) +
      el("Marker", enc(page.marker)) +
      el("MaxKeys", page.maxKeys) +
      el("Delimiter", enc(page.delimiter)) +
      el("IsTruncated", page.isTruncated) +
      (page.delimiter && page.isTruncated ? el("NextMarker", enc(page.nextMarker)) : "") +
      contentsXml(page.objects, enc, page.owner) +
      commonPrefixesXml(page.commonPrefixes, enc) +
      (page.encodingUrl ? el("EncodingType", "url") : ""),
  );
}

export function renderListObjectsV2(
  page: ListPage & { continuationToken?: string; nextContinuationToken?: string; startAfter?: string; owner?: Owner },
): string {
  const enc = encoderFor(page.encodingUrl);
  return xmlDocument(
    "ListBucketResult",
    el("Name", page.bucket) +
      el("Prefix", enc(page.prefix)) +
      el("MaxKeys", page.maxKeys) +
      el("KeyCount", page.objects.length + page.commonPrefixes.length) +
      el("Delimiter", enc(page.delimiter)) +
      el("IsTruncated", page.isTruncated) +
      el("ContinuationToken", page.continuationToken) +
      el("NextContinuationToken", page.nextContinuationToken) +
      el("StartAfter", enc(page.startAfter)) +
      contentsXml(page.objects, enc, page.owner) +
      commonPrefixesXml(page.commonPrefixes, enc) +
      (page.encodingUrl ? el("EncodingType", "url") : ""),
  );
}

export type VersionsPage = Omit<ListPage, "objects"> & {
  versions: ObjectVersion[]; keyMarker: string; versionIdMarker: string;
  nextKeyMarker?: string; nextVersionIdMarker?: string; owner: Owner;
};

/** ListVersionsResult: versions and delete markers in one ordered list, as S3 sends them. */
export function renderListVersions(page: VersionsPage): string {
  const enc = encoderFor(page.encodingUrl);
  const entries = page.versions.map((v) =>
    v.deleteMarker
      ? node(
          "DeleteMarker",
          el("Key", enc(v.key)), el("VersionId", v.versionId), el("IsLatest", v.isLatest),
          el("LastModified", v.lastModified.toISOString()), ownerXml("Owner", page.owner),
        )
      : node(
          "Version",
          el("Key", enc(v.key)), el("VersionId", v.versionId), el("IsLatest", v.isLatest),
          el("LastModified", v.lastModified.toISOString()), el("ETag", v.etag), el("Size", v.size),
          ownerXml("Owner", page.owner), el("StorageClass", "STANDARD"),
        ),
  );
  const next = page.isTruncated
    ? el("NextKeyMarker", enc(page.nextKeyMarker)) + el("NextVersionIdMarker", page.nextVersionIdMarker)
    : "";
  return xmlDocument(
    "ListVersionsResult",
    el("Name", page.bucket) +
      el("Prefix", enc(page.prefix)) +
      el("KeyMarker", enc(page.keyMarker)) +
      el("VersionIdMarker", page.versionIdMarker) +
      next +
      el("MaxKeys", page.maxKeys) +
      el("Delimiter", enc(page.delimiter)) +
      el("IsTruncated", page.isTruncated) +
      entries.join("") +
      commonPrefixesXml(page.commonPrefixes, enc) +
      (page.encodingUrl ? el("EncodingType", "url") : ""),
  );
}

export function renderListParts(input: {
  bucket: string; key: string; uploadId: string; partNumberMarker: number; maxParts: number;
  parts: PartInfo[]; isTruncated: boolean; owner: Owner;
}): string {
  const parts = input.parts.map((p) =>
    node("Part", el("PartNumber", p.partNumber), el("LastModified", p.lastModified.toISOString()), el("ETag", p.etag), el("Size", p.size)),
  );
  const last = input.parts.at(-1);
  return xmlDocument(
    "ListPartsResult",
    el("Bucket", input.bucket) +
      el("Key", input.key) +
      el("UploadId", input.uploadId) +
      ownerXml("Initiator", input.owner) +
      ownerXml("Owner", input.owner) +
      el("StorageClass", "STANDARD") +
      el("PartNumberMarker", input.partNumberMarker) +
      el("NextPartNumberMarker", last ? last.partNumber : input.partNumberMarker) +
      el("MaxParts", input.maxParts) +
      el("IsTruncated", input.isTruncated) +
      parts.join(""),
  );
}

export function renderListMultipartUploads(input: {
  bucket: string; prefix: string; delimiter?: string; keyMarker: string; uploadIdMarker: string;
  maxUploads: number; encodingUrl: boolean; uploads: UploadInfo[]; commonPrefixes: string[];
  isTruncated: boolean; nextKeyMarker: string; nextUploadIdMarker: string; owner: Owner;
}): string {
  const enc = encoderFor(input.encodingUrl);
  const uploads = input.uploads.map((u) =>
    node(
      "Upload",
      el("Key", enc(u.key)),
      el("UploadId", u.uploadId),
      ownerXml("Initiator", input.owner),
      ownerXml("Owner", input.owner),
      el("StorageClass", "STANDARD"),
      el("Initiated", u.initiated.toISOString()),
    ),
  );
  return xmlDocument(
    "ListMultipartUploadsResult",
    el("Bucket", input.bucket) +
      el("KeyMarker", enc(input.keyMarker)) +
      el("UploadIdMarker", input.uploadIdMarker) +
      (input.isTruncated
        ? el("NextKeyMarker", enc(input.nextKeyMarker)) + el("NextUploadIdMarker", input.nextUploadIdMarker)
        : "") +
      el("Prefix", enc(input.prefix)) +
      el("Delimiter", enc(input.delimiter)) +
      el("MaxUploads", input.maxUploads) +
      el("IsTruncated", input.isTruncated) +
      uploads.join("") +
      commonPrefixesXml(input.commonPrefixes, enc) +
      (input.encodingUrl ? el("EncodingType", "url") : ""),
  );
}
