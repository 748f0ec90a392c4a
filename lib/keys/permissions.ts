/**
 * Object permissions a key may carry. Four basic ones and granular ones that each extend a
 * basic one (a granular permission alone is refused: "delete old versions" without "delete"
 * makes no sense to a reader of the key list). Bucket create/delete is deliberately not a
 * permission: it belongs to master keys and admins' own keys only (see scope.ts).
 */
import { z } from "zod";
import type { S3Operation } from "../s3/operations";

export const BASIC_PERMISSIONS = ["read", "write", "list", "delete"] as const;
export const GRANULAR_PERMISSIONS = [
  "read_versions",
  "delete_versions",
  "multipart_list",
  "read_retention",
  "read_legal_hold",
  "write_retention",
  "write_legal_hold",
  "bypass_governance",
] as const;
/** Canonical order: summaries and stored arrays follow it. */
export const KEY_PERMISSIONS = [...BASIC_PERMISSIONS, ...GRANULAR_PERMISSIONS] as const;

export type BasicPermission = (typeof BASIC_PERMISSIONS)[number];
export type KeyPermission = (typeof KEY_PERMISSIONS)[number];
export type KeyRole = "ADMIN" | "MEMBER_PLUS" | "MEMBER";

export type PermissionInfo = { label: string; description: string; requires?: BasicPermission };

export const PERMISSION_INFO: Record<KeyPermission, PermissionInfo> = {
  read: { label: "Read", description: "Download objects and read their metadata (GetObject, HeadObject)." },
  write: {
    label: "Write",
    description: "Upload and copy objects, including multipart uploads (PutObject, CopyObject, multipart).",
  },
  list: {
    label: "List",
    description: "List buckets and object names, and read bucket location and versioning status.",
  },
  delete: { label: "Delete", description: "Delete objects, one at a time or in batches (DeleteObject, DeleteObjects)." },
  read_versions: {
    label: "Read versions",
    description: "List object versions and read a specific older version.",
    requires: "read",
  },
  delete_versions: {
    label: "Delete versions",
    description: "Permanently delete a specific object version.",
    requires: "delete",
  },
  multipart_list: {
    label: "List multipart uploads",
    description: "List in-progress multipart uploads and their parts.",
    requires: "write",
  },
  read_retention: {
    label: "Read retention",
    description: "Read an object version's Object Lock retention (GetObjectRetention).",
    requires: "read",
  },
  read_legal_hold: {
    label: "Read legal hold",
    description: "Read whether an object version is under legal hold (GetObjectLegalHold).",
    requires: "read",
  },
  write_retention: {
    label: "Set retention",
    description: "Set or extend an object version's Object Lock retention (PutObjectRetention).",
    requires: "write",
  },
  write_legal_hold: {
    label: "Set legal hold",
    description: "Place or remove a legal hold on an object version (PutObjectLegalHold).",
    requires: "write",
  },
  bypass_governance: {
    label: "Bypass governance retention",
    description: "Delete or shorten GOVERNANCE-mode retention, with the x-amz-bypass-governance-retention header.",
    requires: "delete",
  },
};

export const PERMISSION_PRESETS = [
  { id: "object_read_only", label: "Object Read Only", permissions: ["read", "list"] },
  { id: "object_read_write", label: "Object Read & Write", permissions: ["read", "write", "list", "delete"] },
] as const satisfies readonly { id: string; label: string; permissions: readonly KeyPermission[] }[];

export const keyPermissionSchema = z.enum(KEY_PERMISSIONS);

/** For zod input schemas: `permissions: keyPermissionsSchema` yields a checked list in canonical order. */
export const keyPermissionsSchema = z.array(z.string()).transform((perms, ctx) => {
  const errors = validatePermissions(perms);
  for (const message of errors) ctx.addIssue({ code: "custom", message });
  return errors.length ? z.NEVER : sortPermissions(perms as KeyPermission[]);
});

export function isKeyPermission(p: unknown): p is KeyPermission {
  return typeof p === "string" && (KEY_PERMISSIONS as readonly string[]).includes(p);
}

/**
 * Errors for the `permissions` field of a form or API request; empty when the list is valid.
 * Refused: an empty list, unknown or repeated names, a granular permission without its basic one.
 */
export function validatePermissions(perms: readonly unknown[]): string[] {
  if (!Array.isArray(perms) || perms.length === 0) return ["Choose at least one permission."];
  const errors: string[] = [];
  const seen = new Set<KeyPermission>();
  for (const p of perms) {
    if (!isKeyPermission(p)) errors.push(`Unknown permission "${String(p).slice(0, 40)}".`);
    else if (seen.has(p)) errors.push(`"${PERMISSION_INFO[p].label}" is listed more than once.`);
    else seen.add(p);
  }
  for (const p of seen) {
    const requires = PERMISSION_INFO[p].requires;
    if (requires && !seen.has(requires)) {
      errors.push(`"${PERMISSION_INFO[p].label}" requires "${PERMISSION_INFO[requires].label}".`);
    }
  }
  return errors;
}

/** The known permissions of a list, in canonical order (what is stored and shown). */
export function sortPermissions(perms: readonly string[]): KeyPermission[] {
  return KEY_PERMISSIONS.filter((p) => perms.includes(p));
}

/** "Object Read Only", "All object permissions" (a member's own key), or labels in canonical order: "Read, List, Read versions". */
export function summarizePermissions(perms: readonly string[]): string {
  const sorted = sortPermissions(perms);
  if (sorted.length === 0) return "No permissions";
  if (sorted.length === KEY_PERMISSIONS.length) return "All object permissions";
  const preset = PERMISSION_PRESETS.find((p) => p.permissions.length === sorted.length && p.permissions.every((x) => sorted.includes(x)));
  return preset ? preset.label : sorted.map((p) => PERMISSION_INFO[p].label).join(", ");
}

/** Bucket create/delete, CORS, versioning and Object Lock configuration: outside the permission model, decided by key kind and owner role. */
export const BUCKET_ADMIN = "bucket_admin" as const;
export type RequiredPermission = KeyPermission | typeof BUCKET_ADMIN;

const OPERATION_PERMISSION: Record<S3Operation, RequiredPermission> = {
  ListBuckets: "list",
  CreateBucket: BUCKET_ADMIN,
  DeleteBucket: BUCKET_ADMIN,
  HeadBucket: "list",
  GetBucketLocation: "list",
  GetBucketVersioning: "list",
  PutBucketVersioning: BUCKET_ADMIN,
  ListObjects: "list",
  ListObjectsV2: "list",
  ListObjectVersions: "read_versions",
  PutObject: "write",
  GetObject: "read",
  HeadObject: "read",
  DeleteObject: "delete",
  DeleteObjects: "delete",
  CopyObject: "write", // on the target; the source needs read (scope.ts)
  CreateMultipartUpload: "write",
  UploadPart: "write",
  UploadPartCopy: "write", // on the target; the source needs read (scope.ts)
  CompleteMultipartUpload: "write",
  AbortMultipartUpload: "write",
  ListParts: "multipart_list",
  ListMultipartUploads: "multipart_list",
  PutBucketCors: BUCKET_ADMIN,
  GetBucketCors: BUCKET_ADMIN,
  DeleteBucketCors: BUCKET_ADMIN,
  PostObject: "write",
  GetObjectLockConfiguration: "list", // like GetBucketVersioning: bucket settings a lister may read
  PutObjectLockConfiguration: BUCKET_ADMIN,
  GetObjectRetention: "read_retention",
  PutObjectRetention: "write_retention",
  GetObjectLegalHold: "read_legal_hold",
  PutObjectLegalHold: "write_legal_hold",
};

/**
 * The permission an operation needs. `versionId` = the request names a specific version:
 * reading one needs read_versions, deleting one needs delete_versions. For DeleteObjects ask
 * per entry (an entry with a VersionId needs delete_versions).
 */
export function requiredPermission(operation: S3Operation, opts: { versionId?: boolean } = {}): RequiredPermission {
  const base = OPERATION_PERMISSION[operation];
  if (!opts.versionId) return base;
  if (base === "read") return "read_versions";
  if (base === "delete") return "delete_versions";
  return base;
}

/** True if the set grants `p`; a granular permission counts only together with its basic one. */
export function hasPermission(perms: readonly string[], p: KeyPermission): boolean {
  const requires = PERMISSION_INFO[p].requires;
  return perms.includes(p) && (!requires || perms.includes(requires));
}

/** Object permissions a member's role carries: what their own keys act with, and the ceiling for keys they create. */
export function permissionsForRole(role: KeyRole): KeyPermission[] {
  return role === "ADMIN" || role === "MEMBER_PLUS" ? [...KEY_PERMISSIONS] : [];
}

/** A created key may never carry more rights than its creator. */
export function isSubsetOf(perms: readonly string[], creatorPerms: readonly string[]): boolean {
  return perms.every((p) => creatorPerms.includes(p));
}
