// Request headers that change how a request is routed or must be refused up
// front: x-amz-copy-source, ACL grants and server-side encryption.
import type { IncomingHttpHeaders } from "node:http";
import type { S3Operation } from "../lib/s3/operations";
import { validateBucketName } from "../lib/s3/bucket-name";
import { S3Error, invalidArgument, invalidBucketName, keyTooLong, notImplemented } from "./errors";

export type CopySource = { bucket: string; key: string; versionId?: string };

const MAX_KEY_BYTES = 1024;

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Parses `x-amz-copy-source`: url-encoded "bucket/key", optional leading "/", optional "?versionId=". */
export function parseCopySource(raw: string): CopySource | S3Error {
  const q = raw.indexOf("?");
  const encodedPath = (q === -1 ? raw : raw.slice(0, q)).replace(/^\//, "");
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return invalidArgument("Invalid copy source encoding", "x-amz-copy-source", raw);
  }
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    return invalidArgument(
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      "x-amz-copy-source",
      raw,
    );
  }
  const bucket = path.slice(0, slash);
  const key = path.slice(slash + 1);
  const reason = validateBucketName(bucket);
  if (reason) return invalidBucketName(bucket, reason);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return keyTooLong();
  const params = new URLSearchParams(q === -1 ? "" : raw.slice(q + 1));
  const versionId = params.get("versionId") ?? undefined;
  const bad = checkVersionId(versionId);
  if (bad) return bad;
  return { bucket, key, ...(versionId === undefined ? {} : { versionId }) };
}

/**
 * A version id is opaque to the gateway (an upstream S3 has its own format); the storage backend
 * refuses ids it cannot have issued. Only the empty and the absurdly long are refused here.
 */
export function checkVersionId(versionId: string | undefined): S3Error | null {
  if (versionId === undefined || (versionId.length > 0 && versionId.length <= 1024)) return null;
  return invalidArgument("Invalid version id specified", "versionId", versionId);
}

export function checkKeyLength(key: string): S3Error | null {
  return Buffer.byteLength(key) > MAX_KEY_BYTES ? keyTooLong() : null;
}

const ACL_OPS: ReadonlySet<S3Operation> = new Set(["PutObject", "CopyObject", "CreateMultipartUpload", "CreateBucket"]);
const ALLOWED_ACLS = new Set(["private", "bucket-owner-full-control"]);
const TAG_OPS: ReadonlySet<S3Operation> = new Set(["PutObject", "CopyObject", "CreateMultipartUpload"]);

/**
 * ACLs: buckets behave like S3 buckets with Object Ownership "bucket owner
 * enforced" (ACLs disabled), so a canned ACL other than private /
 * bucket-owner-full-control, or any x-amz-grant-* header, is refused with
 * S3's own error for that case (400 AccessControlListNotSupported) rather than
 * being silently ignored: a client asking for public-read must learn that it
 * did not get it. Server-side encryption and object tagging headers are refused
 * (501) for the same reason: the gateway cannot honour them.
 */
export function checkUnsupportedHeaders(op: S3Operation, headers: IncomingHttpHeaders): S3Error | null {
  if (ACL_OPS.has(op)) {
    const acl = headerValue(headers, "x-amz-acl");
    const grant = Object.keys(headers).some((h) => h.startsWith("x-amz-grant-"));
    if ((acl !== undefined && !ALLOWED_ACLS.has(acl.trim().toLowerCase())) || grant) {
      return new S3Error("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
    }
  }
  // Object tags are not stored either: a client that sets them must not believe it did.
  if (TAG_OPS.has(op) && headerValue(headers, "x-amz-tagging") !== undefined) {
    return notImplemented("Object tagging (x-amz-tagging) is not supported by this gateway");
  }
  const sse = Object.keys(headers).find(
    (h) => h.startsWith("x-amz-server-side-encryption") || h.startsWith("x-amz-copy-source-server-side-encryption"),
  );
  return sse ? notImplemented(`Server-side encryption (${sse}) is not supported by this gateway`) : null;
}
