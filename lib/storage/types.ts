import type { Readable } from "node:stream";

/**
 * The contract every storage backend (fs, s3) fulfils. The gateway streams
 * bodies through it and never buffers a whole object. Errors are thrown as
 * StorageError with an S3 error code so the gateway can render S3 XML.
 */

export type ObjectMetadata = {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** x-amz-meta-* without the prefix, lower-case names. */
  userMetadata: Record<string, string>;
  /**
   * Object Lock settings asked for the new version (PutObject, CreateMultipartUpload, CopyObject):
   * write input only, never stored or returned as metadata (ObjectInfo.lock shows a version's state).
   * Refused with InvalidRequest in buckets without Object Lock.
   */
  lock?: ObjectLockState;
};

export type ObjectInfo = {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: "\"<md5 hex>\"" or "\"<hex>-<parts>\"" for multipart. */
  etag: string;
  lastModified: Date;
  metadata: ObjectMetadata;
  /** Set for objects of buckets that are or were versioned ("null" for the null version); absent otherwise. */
  versionId?: string;
  /** The version's Object Lock state (HEAD/GET only; absent when it has none). */
  lock?: ObjectLockState;
};

export type ByteRange = { start: number; end: number }; // inclusive, already resolved against size

export type ListObjectsParams = {
  prefix?: string;
  delimiter?: string;
  /** Return keys strictly greater than this (marker / start-after / continuation token). */
  after?: string;
  maxKeys: number;
};

export type ListObjectsResult = {
  objects: ObjectInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  nextAfter?: string;
};

export type PartInfo = { partNumber: number; etag: string; size: number; lastModified: Date };

export type UploadInfo = { uploadId: string; key: string; initiated: Date };

/** `versionId`: the version the write created, in buckets that are or were versioned. */
export type PutResult = { etag: string; size: number; lastModified: Date; versionId?: string };

export type VersioningState = "Unversioned" | "Enabled" | "Suspended";

/** What a DeleteObject did in a versioned bucket: the version removed or the delete marker created. */
export type DeleteResult = { versionId?: string; deleteMarker?: boolean };

export type RetentionMode = "GOVERNANCE" | "COMPLIANCE";
/** An object version's Object Lock retention: it may not be deleted or overwritten before `retainUntil`. */
export type ObjectRetention = { mode: RetentionMode; retainUntil: Date };
/** A bucket's default retention, applied to every new version (exactly one of days or years). */
export type DefaultRetention = { mode: RetentionMode; days?: number; years?: number };
/** Object Lock of a bucket: chosen at creation (as S3) and never turned off; the default retention may change. */
export type ObjectLockConfig = { enabled: boolean; defaultRetention?: DefaultRetention };
/** One version's Object Lock state: retention (absent = never set or removed) and legal hold (absent = never set). */
export type ObjectLockState = { retention?: ObjectRetention; legalHold?: boolean };
/** `bypassGovernance`: the caller sent x-amz-bypass-governance-retention: true AND holds bypass_governance. */
export type LockOptions = { bypassGovernance?: boolean };

/** One entry of ListObjectVersions: an object version or a delete marker (size 0, etag ""). */
export type ObjectVersion = ObjectInfo & { versionId: string; isLatest: boolean; deleteMarker: boolean };

export type ListVersionsParams = {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
};

export type ListVersionsResult = {
  versions: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
};

/** An object and, optionally, one of its versions ("null" = the null version). */
export type ObjectRef = { bucket: string; key: string; versionId?: string };

/**
 * An object being read. `data`, when set, already holds exactly the bytes `body` would stream
 * (small objects the backend read in one go); a caller may send it and never touch `body`.
 */
export type GetResult = { info: ObjectInfo; body: Readable; data?: Buffer };

export interface StorageBackend {
  /** `objectLock`: the bucket is created with Object Lock enabled (and versioning Enabled, as S3). */
  createBucket(bucket: string, opts?: { objectLock?: boolean }): Promise<void>;
  /** Throws StorageError("BucketNotEmpty") when objects or uploads remain. */
  deleteBucket(bucket: string): Promise<void>;
  bucketExists(bucket: string): Promise<boolean>;

  /**
   * Streams `body` into the object atomically: readers see the old object or the
   * whole new one, never a partial one. Computes the MD5 ETag while streaming.
   * `size` (the decoded body length, when the client sent it) lets forwarding backends stream
   * without buffering; local backends may ignore it.
   * `md5`: the body's MD5 when the caller verifies it as the body streams (Content-MD5; the
   * stream errors before its end on a mismatch), so the backend need not hash the data again.
   */
  putObject(bucket: string, key: string, body: Readable, metadata: ObjectMetadata, size?: number, md5?: Buffer): Promise<PutResult>;
  /**
   * NoSuchKey (with x-amz-delete-marker headers when the latest version is a delete marker),
   * NoSuchVersion, or MethodNotAllowed (405) when `versionId` names a delete marker.
   */
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectInfo>;
  getObject(bucket: string, key: string, range?: ByteRange, versionId?: string): Promise<GetResult>;
  /**
   * Idempotent: deleting a missing key or version succeeds. Without `versionId` in a versioned
   * bucket a delete marker is created; with one, that version is removed for good, unless it is
   * locked (legal hold, or retention until a future date that `opts` may not bypass): AccessDenied.
   */
  deleteObject(bucket: string, key: string, versionId?: string, opts?: LockOptions): Promise<DeleteResult>;
  copyObject(
    src: ObjectRef,
    dst: { bucket: string; key: string },
    metadata: ObjectMetadata | null, // null = copy the source's metadata
  ): Promise<PutResult>;
  listObjects(bucket: string, params: ListObjectsParams): Promise<ListObjectsResult>;

  getBucketVersioning(bucket: string): Promise<VersioningState>;
  /** A bucket once versioned never returns to Unversioned (as S3). */
  putBucketVersioning(bucket: string, state: "Enabled" | "Suspended"): Promise<void>;
  listObjectVersions(bucket: string, params: ListVersionsParams): Promise<ListVersionsResult>;
  /** `{ enabled: false }` for buckets created without Object Lock. */
  getObjectLockConfiguration(bucket: string): Promise<ObjectLockConfig>;
  /**
   * Sets the default retention (`config.enabled` must be true: Object Lock is never turned off).
   * Enables Object Lock on a bucket without it when its versioning is Enabled (as S3 now allows);
   * InvalidBucketState otherwise.
   */
  putObjectLockConfiguration(bucket: string, config: ObjectLockConfig): Promise<void>;
  /** NoSuchObjectLockConfiguration when the version has no retention; InvalidRequest without Object Lock. */
  getObjectRetention(ref: ObjectRef): Promise<ObjectRetention>;
  /**
   * Sets (or, with null, removes) a version's retention. Shortening or removing an active
   * COMPLIANCE retention, or an active GOVERNANCE one without `opts.bypassGovernance`: AccessDenied.
   */
  putObjectRetention(ref: ObjectRef, retention: ObjectRetention | null, opts?: LockOptions): Promise<void>;
  /** NoSuchObjectLockConfiguration when no legal hold was ever set on the version. */
  getObjectLegalHold(ref: ObjectRef): Promise<boolean>;
  putObjectLegalHold(ref: ObjectRef, on: boolean): Promise<void>;

  createMultipartUpload(bucket: string, key: string, metadata: ObjectMetadata): Promise<string>; // uploadId
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size?: number): Promise<PutResult>; // NoSuchUpload
  uploadPartCopy(
    src: ObjectRef & { range?: ByteRange },
    bucket: string, key: string, uploadId: string, partNumber: number,
  ): Promise<PutResult>;
  /** Validates parts (InvalidPart, InvalidPartOrder, EntityTooSmall: every part but the last ≥ 5 MiB). */
  completeMultipartUpload(
    bucket: string, key: string, uploadId: string, parts: { partNumber: number; etag: string }[],
  ): Promise<PutResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  listParts(bucket: string, key: string, uploadId: string, params: { after?: number; maxParts: number }): Promise<{ parts: PartInfo[]; isTruncated: boolean }>;
  listMultipartUploads(bucket: string, params: { prefix?: string; maxUploads: number }): Promise<UploadInfo[]>;
}

/** A storage failure that maps onto an S3 error code (NoSuchKey, NoSuchBucket, ...). */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = statusForCode(code),
    /** Response headers that belong to the error (x-amz-delete-marker, x-amz-version-id). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "StorageError";
  }
}

function statusForCode(code: string): number {
  switch (code) {
    case "NoSuchKey":
    case "NoSuchBucket":
    case "NoSuchUpload":
    case "NoSuchVersion":
    case "NoSuchObjectLockConfiguration":
    case "ObjectLockConfigurationNotFoundError":
      return 404;
    case "AccessDenied":
      return 403;
    case "MethodNotAllowed":
      return 405;
    case "BucketNotEmpty":
    case "BucketAlreadyOwnedByYou":
    case "BucketAlreadyExists":
    case "InvalidBucketState":
      return 409;
    case "InvalidRange":
      return 416;
    case "PreconditionFailed":
      return 412;
    default:
      return 400;
  }
}
