// Maps method + query subresources onto an S3 operation. Subresources we do not
// serve (ACLs, policies, tagging, ...) are refused with 501 NotImplemented
// instead of silently falling through to a neighbouring operation (a GET
// ?acl must never be answered as GetObject).
import type { S3Operation } from "../lib/s3/operations";
import { S3Error, invalidArgument, methodNotAllowed, notImplemented } from "./errors";

const UNSUPPORTED_SUBRESOURCES = [
  "abac", "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering",
  "inventory", "lifecycle", "logging", "metadataConfiguration", "metadataTable", "metrics",
  "notification", "ownershipControls", "policy", "policyStatus", "publicAccessBlock",
  "renameObject", "replication", "requestPayment", "restore", "select", "select-type",
  "session", "tagging", "torrent", "website",
];

export function unsupportedSubresource(query: URLSearchParams): S3Error | null {
  const found = UNSUPPORTED_SUBRESOURCES.find((name) => query.has(name));
  return found ? notImplemented(`The ?${found} subresource is not supported by this gateway`) : null;
}

export function classifyService(method: string): S3Operation | S3Error {
  return method === "GET" ? "ListBuckets" : methodNotAllowed();
}

export function classifyBucket(method: string, q: URLSearchParams): S3Operation | S3Error {
  if (q.has("cors")) return classifyBucketCors(method);
  if (q.has("retention") || q.has("legal-hold")) return notImplemented("?retention and ?legal-hold apply to objects, not buckets");
  if (q.has("object-lock")) return method === "GET" ? "GetObjectLockConfiguration" : method === "PUT" ? "PutObjectLockConfiguration" : methodNotAllowed();
  switch (method) {
    case "GET":
      if (q.has("location")) return "GetBucketLocation";
      if (q.has("versioning")) return "GetBucketVersioning";
      if (q.has("versions")) return "ListObjectVersions";
      if (q.has("uploads")) return "ListMultipartUploads";
      if (q.has("list-type")) {
        return q.get("list-type") === "2"
          ? "ListObjectsV2"
          : invalidArgument("Invalid List Type specified in Request", "list-type", q.get("list-type") ?? "");
      }
      return "ListObjects";
    case "HEAD":
      return "HeadBucket";
    case "PUT":
      if (q.has("versioning")) return "PutBucketVersioning";
      return hasAny(q, ["location", "versions", "uploads", "delete"]) ? methodNotAllowed() : "CreateBucket";
    case "DELETE":
      return hasAny(q, ["location", "versioning", "versions", "uploads", "delete"]) ? methodNotAllowed() : "DeleteBucket";
    case "POST":
      // Browser form upload: a multipart/form-data body carrying the key, a policy and its signature.
      return q.has("delete") ? "DeleteObjects" : "PostObject";
    default:
      return methodNotAllowed();
  }
}

function classifyBucketCors(method: string): S3Operation | S3Error {
  if (method === "GET") return "GetBucketCors";
  if (method === "PUT") return "PutBucketCors";
  if (method === "DELETE") return "DeleteBucketCors";
  return methodNotAllowed();
}

export function classifyObject(method: string, q: URLSearchParams, isCopy: boolean): S3Operation | S3Error {
  if (q.has("object-lock")) return notImplemented("?object-lock applies to buckets, not objects");
  if (q.has("retention")) return method === "GET" ? "GetObjectRetention" : method === "PUT" ? "PutObjectRetention" : methodNotAllowed();
  if (q.has("legal-hold")) return method === "GET" ? "GetObjectLegalHold" : method === "PUT" ? "PutObjectLegalHold" : methodNotAllowed();
  switch (method) {
    case "GET":
      if (q.has("uploadId")) return "ListParts";
      return q.has("partNumber") ? notImplemented("GET by partNumber is not supported") : "GetObject";
    case "HEAD":
      return q.has("partNumber") ? notImplemented("HEAD by partNumber is not supported") : "HeadObject";
    case "PUT":
      return classifyObjectPut(q, isCopy);
    case "POST":
      if (q.has("uploads")) return "CreateMultipartUpload";
      if (q.has("uploadId")) return "CompleteMultipartUpload";
      return methodNotAllowed();
    case "DELETE":
      return q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
    default:
      return methodNotAllowed();
  }
}

function classifyObjectPut(q: URLSearchParams, isCopy: boolean): S3Operation | S3Error {
  const hasUpload = q.has("uploadId");
  const hasPart = q.has("partNumber");
  if (hasUpload && hasPart) return isCopy ? "UploadPartCopy" : "UploadPart";
  if (hasUpload) return invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber");
  if (hasPart) return invalidRequest();
  return isCopy ? "CopyObject" : "PutObject";
}

function invalidRequest(): S3Error {
  return new S3Error("InvalidRequest", "A partNumber requires an uploadId", 400);
}

function hasAny(q: URLSearchParams, names: string[]): boolean {
  return names.some((n) => q.has(n));
}
