// The `s3` backend: a region that forwards to any S3-compatible endpoint, re-signed with the
// region's upstream credentials (the AWS SDK signs; we never pass the client's signature on).
// Bodies stream both ways; upstream S3 errors pass through with their code and status.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteBucketCommand, DeleteObjectCommand, GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
  S3ServiceException, UploadPartCommand, UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { type LockHead, lockIn, lockOut, upstreamLockConfig, upstreamLockOps } from "./s3-object-lock";
import { listUpstreamVersions } from "./s3-versions";
import type { Readable } from "node:stream";
import { StorageError, type ByteRange, type ObjectInfo, type ObjectMetadata, type ObjectRef, type StorageBackend } from "./types";

export type S3BackendConfig = { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };

/** Maps SDK failures to StorageError so the gateway answers with the upstream's S3 error. */
export async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof S3ServiceException) {
      const status = err.$metadata.httpStatusCode ?? 500;
      const code = err.name === "NotFound" ? (status === 404 ? "NoSuchKey" : err.name) : err.name;
      throw new StorageError(code, err.message || code, status, markerHeaders(err));
    }
    throw err;
  }
}

/** A delete marker's headers on an upstream 404/405, passed on to the client as S3 sends them. */
function markerHeaders(err: S3ServiceException): Record<string, string> {
  const h = (err.$response as { headers?: Record<string, string> } | undefined)?.headers ?? {};
  const out: Record<string, string> = {};
  if (h["x-amz-delete-marker"]) out["x-amz-delete-marker"] = h["x-amz-delete-marker"];
  if (h["x-amz-version-id"]) out["x-amz-version-id"] = h["x-amz-version-id"];
  return out;
}

const metaOut = (m: ObjectMetadata) => ({
  ContentType: m.contentType, ContentEncoding: m.contentEncoding, ContentDisposition: m.contentDisposition,
  ContentLanguage: m.contentLanguage, CacheControl: m.cacheControl, Expires: m.expires ? new Date(m.expires) : undefined, Metadata: m.userMetadata,
  ...lockOut(m.lock),
});

type HeadLike = LockHead & { VersionId?: string; ContentType?: string; ContentEncoding?: string; ContentDisposition?: string; ContentLanguage?: string; CacheControl?: string; ExpiresString?: string; Metadata?: Record<string, string>; ContentLength?: number; ETag?: string; LastModified?: Date };

function infoFrom(key: string, h: HeadLike): ObjectInfo {
  const lock = lockIn(h);
  return {
    key, size: h.ContentLength ?? 0, etag: h.ETag ?? '""', lastModified: h.LastModified ?? new Date(0), versionId: h.VersionId,
    ...(lock ? { lock } : {}),
    metadata: {
      contentType: h.ContentType, contentEncoding: h.ContentEncoding, contentDisposition: h.ContentDisposition,
      contentLanguage: h.ContentLanguage, cacheControl: h.CacheControl, expires: h.ExpiresString, userMetadata: h.Metadata ?? {},
    },
  };
}

const rangeHeader = (r?: ByteRange) => (r ? `bytes=${r.start}-${r.end}` : undefined);
const putResult = (etag: string | undefined, size: number, versionId?: string) => ({ etag: etag ?? '""', size, lastModified: new Date(), versionId });
/** x-amz-copy-source with the source's version, as the upstream expects it. */
const copySource = (src: ObjectRef) =>
  `${src.bucket}/${encodeURIComponent(src.key)}${src.versionId === undefined ? "" : `?versionId=${encodeURIComponent(src.versionId)}`}`;

export function createS3Backend(cfg: S3BackendConfig): StorageBackend {
  const s3 = new S3Client({
    endpoint: cfg.endpoint, region: cfg.region, forcePathStyle: cfg.forcePathStyle,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
    // Checksums were already verified by the gateway; keep bodies as plain streams upstream.
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
  // One generic sender; each call site names the output fields it reads.
  const sendAny = s3.send.bind(s3) as (cmd: unknown) => Promise<unknown>;
  const send = <T = unknown>(cmd: unknown) => upstream(() => sendAny(cmd) as Promise<T>);
  return {
    createBucket: async (bucket, opts) =>
      void (await send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: opts?.objectLock || undefined }))),
    deleteBucket: async (bucket) => void (await send(new DeleteBucketCommand({ Bucket: bucket }))),
    bucketExists: (bucket) => send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, (e) => (e instanceof StorageError && e.status === 404 ? false : Promise.reject(e))),
    async putObject(bucket, key, body, metadata, size) {
      // Object Lock parameters need a checksum upstream (as S3 requires of PUTs carrying them).
      // (The SDK needs the length for that; without it the upstream refuses, and says so.)
      const checksum = metadata.lock && size !== undefined ? { ChecksumAlgorithm: "CRC32" as const } : {};
      const out = await send<{ ETag?: string; VersionId?: string }>(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size, ...metaOut(metadata), ...checksum }));
      return putResult(out.ETag, size ?? 0, out.VersionId);
    },
    headObject: async (bucket, key, versionId) =>
      infoFrom(key, await send<HeadLike>(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))),
    async getObject(bucket, key, range, versionId) {
      const out = await send<HeadLike & { Body?: Readable }>(new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(range), VersionId: versionId }));
      const info = infoFrom(key, out);
      if (range) info.size = (await this.headObject(bucket, key, out.VersionId ?? versionId)).size; // ContentLength is the range's
      return { info, body: out.Body as Readable };
    },
    async deleteObject(bucket, key, versionId, opts) {
      const out = await send<{ VersionId?: string; DeleteMarker?: boolean }>(new DeleteObjectCommand({
        Bucket: bucket, Key: key, VersionId: versionId, BypassGovernanceRetention: opts?.bypassGovernance || undefined,
      }));
      return { versionId: out.VersionId, deleteMarker: out.DeleteMarker || undefined };
    },
    async copyObject(src, dst, metadata) {
      const out = await send<{ CopyObjectResult?: { ETag?: string }; VersionId?: string }>(new CopyObjectCommand({
        Bucket: dst.bucket, Key: dst.key, CopySource: copySource(src),
        MetadataDirective: metadata ? "REPLACE" : "COPY", ...(metadata ? metaOut(metadata) : {}),
      }));
      return putResult(out.CopyObjectResult?.ETag, (await this.headObject(dst.bucket, dst.key, out.VersionId)).size, out.VersionId);
    },
    async listObjects(bucket, p) {
      const out = await send<{ Contents?: { Key?: string; Size?: number; ETag?: string; LastModified?: Date }[]; CommonPrefixes?: { Prefix?: string }[]; IsTruncated?: boolean }>(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: p.prefix, Delimiter: p.delimiter, StartAfter: p.after, MaxKeys: p.maxKeys }));
      const objects = (out.Contents ?? []).map((o) => ({ key: o.Key!, size: o.Size ?? 0, etag: o.ETag ?? '""', lastModified: o.LastModified ?? new Date(0), metadata: { userMetadata: {} } }));
      const commonPrefixes = (out.CommonPrefixes ?? []).map((c) => c.Prefix!);
      const last = [...objects.map((o) => o.key), ...commonPrefixes].sort().at(-1);
      return { objects, commonPrefixes, isTruncated: Boolean(out.IsTruncated), nextAfter: out.IsTruncated ? last : undefined };
    },
    async getBucketVersioning(bucket) {
      const out = await send<{ Status?: string }>(new GetBucketVersioningCommand({ Bucket: bucket }));
      return out.Status === "Enabled" || out.Status === "Suspended" ? out.Status : "Unversioned";
    },
    putBucketVersioning: async (bucket, state) =>
      void (await send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: state } }))),
    listObjectVersions: (bucket, p) => listUpstreamVersions(send, bucket, p),
    getObjectLockConfiguration: (bucket) => upstreamLockConfig(send, bucket),
    ...upstreamLockOps(send),
    createMultipartUpload: async (bucket, key, metadata) =>
      (await send<{ UploadId?: string }>(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...metaOut(metadata) }))).UploadId!,
    async uploadPart(bucket, key, uploadId, partNumber, body, size) {
      const out = await send<{ ETag?: string }>(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: size }));
      return putResult(out.ETag, size ?? 0);
    },
    async uploadPartCopy(src, bucket, key, uploadId, partNumber) {
      const out = await send<{ CopyPartResult?: { ETag?: string } }>(new UploadPartCopyCommand({
        Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber,
        CopySource: copySource(src), CopySourceRange: rangeHeader(src.range),
      }));
      return putResult(out.CopyPartResult?.ETag, src.range ? src.range.end - src.range.start + 1 : 0);
    },
    async completeMultipartUpload(bucket, key, uploadId, parts) {
      const out = await send<{ ETag?: string; VersionId?: string }>(new CompleteMultipartUploadCommand({
        Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }));
      return putResult(out.ETag, (await this.headObject(bucket, key, out.VersionId)).size, out.VersionId);
    },
    abortMultipartUpload: async (bucket, key, uploadId) => void (await send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))),
    async listParts(bucket, key, uploadId, p) {
      const out = await send<{ Parts?: { PartNumber?: number; ETag?: string; Size?: number; LastModified?: Date }[]; IsTruncated?: boolean }>(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: p.after ? String(p.after) : undefined, MaxParts: p.maxParts }));
      return { parts: (out.Parts ?? []).map((x) => ({ partNumber: x.PartNumber!, etag: x.ETag ?? '""', size: x.Size ?? 0, lastModified: x.LastModified ?? new Date(0) })), isTruncated: Boolean(out.IsTruncated) };
    },
    async listMultipartUploads(bucket, p) {
      const out = await send<{ Uploads?: { UploadId?: string; Key?: string; Initiated?: Date }[] }>(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: p.prefix, MaxUploads: p.maxUploads }));
      return (out.Uploads ?? []).map((u) => ({ uploadId: u.UploadId!, key: u.Key!, initiated: u.Initiated ?? new Date(0) }));
    },
  };
}
