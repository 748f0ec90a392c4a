/**
 * The gateway's authorization decision: pure, from a key's scope and one request.
 *
 * Call it only after the SigV4 signature has been verified, except for revoked keys, whose
 * answer (InvalidAccessKeyId) is the same as for an id that never existed.
 *
 * Error codes, chosen to be what S3 clients expect (every denial is HTTP 403):
 * - revoked → InvalidAccessKeyId, exactly AWS's text for a deleted or deactivated key.
 * - expired → AccessDenied (reason "expired"), not ExpiredToken: AWS sends ExpiredToken (400)
 *   for expired STS session tokens, and SDKs treat it as "refresh your credentials and retry",
 *   which a long-lived key cannot do. The message says the key expired: the caller proved they
 *   hold the secret, so this helps them and tells an outsider nothing.
 * - everything else → AccessDenied. A bucket outside the project or outside the key's scope
 *   gets the same plain "Access Denied." whether or not it exists anywhere.
 */
import type { S3Operation } from "../s3/operations";
import { ipInCidrs } from "./cidr";
import {
  BUCKET_ADMIN,
  hasPermission,
  permissionsForRole,
  requiredPermission,
  type KeyPermission,
  type KeyRole,
  KEY_PERMISSIONS,
} from "./permissions";

export type KeyScope = {
  kind: "MASTER" | "SUB" | "USER";
  /** The owner's current role; decides what a USER key may do. */
  role?: KeyRole;
  permissions: string[];
  allBuckets: boolean;
  /** Bucket names in scope when allBuckets is false. */
  buckets: string[];
  /** Every bucket name of the key's project in the key's region. */
  projectBuckets: string[];
  prefix?: string | null;
  allowedCidrs: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Switched off by its manager (reversible); refused like a revoked key, with its own message. */
  disabledAt?: Date | null;
};

export type AccessRequest = {
  operation: S3Operation;
  bucket?: string;
  /** Object ops. For DeleteObjects call once per entry with its key and versionId. */
  objectKey?: string;
  /** List ops: the requested `prefix` ("" or absent = the whole bucket). */
  listPrefix?: string;
  /** The request names a specific object version. */
  versionId?: boolean;
  sourceIp: string;
  now: Date;
  /** CopyObject / UploadPartCopy. A versionId on the source needs read_versions. */
  copySource?: { bucket: string; key: string; versionId?: string | boolean };
};

export type DenyReason = "revoked" | "disabled" | "expired" | "ip" | "bucket" | "prefix" | "permission" | "bucket_admin";

export type Decision =
  | { allow: true }
  | {
      allow: false;
      /** ExpiredToken is never returned (see the top of this file); kept for callers' exhaustive maps. */
      code: "AccessDenied" | "InvalidAccessKeyId" | "ExpiredToken";
      reason: DenyReason;
      message: string;
    };

export const INVALID_ACCESS_KEY_ID_MESSAGE = "The AWS Access Key Id you provided does not exist in our records.";
export const KEY_DISABLED_MESSAGE = "Access Denied: the access key is disabled.";
const ACCESS_DENIED = "Access Denied.";

/** Operations that only read bucket-level facts, never object names: no prefix check. */
const BUCKET_LEVEL_OPS: readonly S3Operation[] = ["HeadBucket", "GetBucketLocation", "GetBucketVersioning", "GetObjectLockConfiguration"];
/** Operations that enumerate names: the requested list prefix must stay inside the key's prefix. */
const LIST_OPS: readonly S3Operation[] = ["ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads"];
const COPY_OPS: readonly S3Operation[] = ["CopyObject", "UploadPartCopy"];

type Effective = { permissions: readonly string[]; bucketAdmin: boolean; allBuckets: boolean; buckets: readonly string[]; prefix: string };

/**
 * What a key may actually do. MASTER: everything in its project. USER: its owner's role on
 * every project bucket of the region (the role is read live, so a demotion takes effect at
 * once). SUB: exactly its stored scope. A USER key without a role gets nothing (fail closed).
 */
function effectiveScope(key: KeyScope): Effective {
  if (key.kind === "MASTER") return { permissions: KEY_PERMISSIONS, bucketAdmin: true, allBuckets: true, buckets: [], prefix: "" };
  if (key.kind === "USER") {
    const role = key.role;
    return { permissions: role ? permissionsForRole(role) : [], bucketAdmin: role === "ADMIN", allBuckets: true, buckets: [], prefix: "" };
  }
  return { permissions: key.permissions, bucketAdmin: false, allBuckets: key.allBuckets, buckets: key.buckets, prefix: key.prefix ?? "" };
}

export function authorize(key: KeyScope, req: AccessRequest): Decision {
  if (key.revokedAt !== null) return deny("revoked", INVALID_ACCESS_KEY_ID_MESSAGE, "InvalidAccessKeyId");
  if (key.expiresAt !== null && req.now.getTime() >= key.expiresAt.getTime()) {
    return deny("expired", "Access Denied: the access key has expired.");
  }
  // AccessDenied, not InvalidAccessKeyId: the caller proved they hold the secret, and "disabled"
  // tells them to ask the key's manager rather than to look for a typo in the id.
  if (key.disabledAt) return deny("disabled", KEY_DISABLED_MESSAGE);
  if (key.allowedCidrs.length > 0 && !ipInCidrs(req.sourceIp, key.allowedCidrs)) {
    return deny("ip", "Access Denied: requests from this IP address are not allowed for this key.");
  }
  const scope = effectiveScope(key);
  const op = req.operation;

  if (requiredPermission(op) === BUCKET_ADMIN) {
    if (!scope.bucketAdmin) return deny("bucket_admin", "Access Denied: only master keys and admins' keys may create or delete buckets or change their CORS rules, versioning or Object Lock settings.");
    // CreateBucket names a bucket that may not exist yet; the gateway answers conflicts.
    if (op !== "CreateBucket" && !bucketInScope(key, scope, req.bucket)) return deny("bucket", ACCESS_DENIED);
    return { allow: true };
  }

  const needed = requiredPermission(op, { versionId: req.versionId });
  if (needed === BUCKET_ADMIN || !hasPermission(scope.permissions, needed)) return permissionDenied(needed);
  if (op === "ListBuckets") return { allow: true }; // bucketsVisible() filters the answer

  if (!bucketInScope(key, scope, req.bucket)) return deny("bucket", ACCESS_DENIED);
  if (scope.prefix && !BUCKET_LEVEL_OPS.includes(op)) {
    if (LIST_OPS.includes(op)) {
      if (!(req.listPrefix ?? "").startsWith(scope.prefix)) {
        return deny("prefix", "Access Denied: this key may only list names under its prefix; send a matching prefix.");
      }
    } else if (!(op === "DeleteObjects" && req.objectKey === undefined) && !inPrefix(scope, req.objectKey)) {
      // DeleteObjects without objectKey is the request-level check; each entry is checked again.
      return deny("prefix", "Access Denied: the object key is outside this key's prefix.");
    }
  }
  if (COPY_OPS.includes(op)) return authorizeCopySource(key, scope, req);
  return { allow: true };
}

/** The source of a copy is a read: the key needs read (or read_versions) on it, within its scope. */
function authorizeCopySource(key: KeyScope, scope: Effective, req: AccessRequest): Decision {
  const source = req.copySource;
  if (!source) return deny("bucket", ACCESS_DENIED);
  const versioned = source.versionId === true || typeof source.versionId === "string";
  const needed: KeyPermission = versioned ? "read_versions" : "read";
  if (!hasPermission(scope.permissions, needed)) return permissionDenied(needed);
  if (!bucketInScope(key, scope, source.bucket)) return deny("bucket", ACCESS_DENIED);
  if (!inPrefix(scope, source.key)) return deny("prefix", "Access Denied: the copy source is outside this key's prefix.");
  return { allow: true };
}

/** Whether the key holds `p` (with its basic permission): for request details beyond the operation (Object Lock headers). */
export function keyHasPermission(key: KeyScope, p: KeyPermission): boolean {
  return hasPermission(effectiveScope(key).permissions, p);
}

/** ListBuckets: the names this key may see, out of `bucketNames` (e.g. every bucket of the region). */
export function bucketsVisible(key: KeyScope, bucketNames: readonly string[]): string[] {
  const scope = effectiveScope(key);
  if (!hasPermission(scope.permissions, "list")) return [];
  return bucketNames.filter((name) => bucketInScope(key, scope, name));
}

function bucketInScope(key: KeyScope, scope: Effective, bucket: string | undefined): boolean {
  if (!bucket || !key.projectBuckets.includes(bucket)) return false;
  return scope.allBuckets || scope.buckets.includes(bucket);
}

function inPrefix(scope: Effective, objectKey: string | undefined): boolean {
  if (!scope.prefix) return true;
  return objectKey !== undefined && objectKey.startsWith(scope.prefix);
}

function permissionDenied(needed: string): Decision {
  return deny("permission", `Access Denied: this key does not have the ${needed} permission.`);
}

function deny(reason: DenyReason, message: string, code: "AccessDenied" | "InvalidAccessKeyId" = "AccessDenied"): Decision {
  return { allow: false, code, reason, message };
}
