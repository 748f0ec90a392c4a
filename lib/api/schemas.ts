// Request and response schemas of the management API. The route wrapper validates with them and
// lib/api/openapi.ts documents with them, so the reference cannot drift from what is enforced.
// Schemas with a `.meta({ id })` become components/schemas entries in the OpenAPI document.
import { z } from "zod";
import { PERMISSION_GROUPS } from "../keys/permission-options";
import { KEY_PERMISSIONS } from "../keys/permissions";
import { SHARE_MESSAGE_MAX, SHARE_TTL_MAX_HOURS } from "../shares/share-options";

const keyId = z.string().min(1).max(64).meta({ description: "Id of a sub key of the master key's project.", example: "cm0abc123def456ghi789jkl0" });
const projectId = z.string().min(1).max(64).meta({
  description: "The project to act on. Optional: defaults to the master key's project; any other project is refused with 403.",
});
const dateTime = (description: string) => z.iso.datetime().meta({ description });
const nullableDateTime = (description: string) => z.iso.datetime().nullable().meta({ description });

const permission = z.enum(KEY_PERMISSIONS).meta({
  id: "Permission",
  description: [
    "An object permission of a sub key. Each granular one is listed under the basic one it needs (refused without it):",
    ...PERMISSION_GROUPS.flatMap(({ basic, granular }) => [
      `- \`${basic.value}\`: ${basic.description}`,
      ...granular.map((g) => `  - \`${g.value}\` (needs \`${basic.value}\`): ${g.description}`),
    ]),
  ].join("\n"),
});
const permissions = z.array(permission).min(1, "Choose at least one permission.").max(KEY_PERMISSIONS.length);
const bucketScope = z.enum(["all", "selected"]).meta({
  description: "`all`: every bucket of the project in the key's region, including buckets created later. `selected`: only `bucketIds`.",
});
const bucketIds = z.array(z.string().min(1).max(64)).max(1000).meta({ description: "Bucket ids (see GET /api/v1/buckets) when `bucketScope` is `selected`." });
const prefix = z.string().trim().max(1024, "Use at most 1024 characters.").nullable().meta({
  description: "Object key prefix the key is limited to (e.g. `uploads/`); null or empty for any key.",
});
const allowedCidrs = z.array(z.string().trim().min(1).max(64)).max(100).meta({
  description: "Source IP ranges (CIDR, IPv4 or IPv6, or single addresses) requests must come from; empty for any.",
  example: ["203.0.113.0/24"],
});
const expiry = z.enum(["7d", "30d", "1y", "custom"]).meta({ description: "Lifetime from now; `custom` uses `expiresAt`." });
const expiresAtInput = z.string().trim().max(40).meta({
  description: "With `expiry: custom`: an ISO 8601 date (`2030-01-31`, end of that day UTC) or date-time, in the future and within 5 years.",
});
const keyName = z.string().trim().min(1, "Enter a name.").max(64, "Use at most 64 characters.").meta({ description: "A name people recognise, e.g. `backup-job`." });

const keyDescription = z.string().trim().max(500, "Use at most 500 characters.").meta({ description: "Free text about the key (what uses it, who to ask)." });

// ---------- requests ----------

export const keyIdParams = z.object({ keyId });

const cursor = z.string().max(512).optional().meta({ description: "`nextCursor` of the previous page." });
const limit = z.coerce.number().int().min(1).max(100).default(25).meta({ description: "Page size, 1 to 100 (default 25)." });

export const listKeysQuery = z.object({ projectId: projectId.optional(), cursor, limit });
export const listEventsQuery = z.object({ cursor, limit });
export const listBucketsQuery = z.object({ projectId: projectId.optional() });

export const createSubKeyRequest = z
  .strictObject({
    projectId: projectId.optional(),
    name: keyName,
    description: keyDescription.optional(),
    regionId: z.string().min(1).max(32).optional().meta({ description: "Region of the key; defaults to the master key's region." }),
    permissions,
    bucketScope: bucketScope.default("all"),
    bucketIds: bucketIds.default([]),
    prefix: prefix.optional(),
    allowedCidrs: allowedCidrs.default([]),
    expiry: expiry.default("30d"),
    expiresAt: expiresAtInput.optional(),
  })
  .meta({ id: "CreateSubKeyRequest", description: "A new sub key. Unknown fields are refused." });

export const updateSubKeyRequest = z
  .strictObject({
    name: keyName.optional(),
    description: keyDescription.nullable().optional(),
    permissions: permissions.optional(),
    bucketScope: bucketScope.optional(),
    bucketIds: bucketIds.optional(),
    prefix: prefix.optional(),
    allowedCidrs: allowedCidrs.optional(),
    expiry: expiry.optional(),
    expiresAt: expiresAtInput.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one field to change." })
  .meta({
    id: "UpdateSubKeyRequest",
    description:
      "Only the fields sent change; lists replace the current list. Sending `bucketIds` alone implies `bucketScope: selected`. " +
      "Sending `expiry` (and `expiresAt` for `custom`) sets a new expiry counted from now.",
  });

export const rotateSubKeyRequest = z
  .strictObject({
    overlap: z.enum(["none", "1h", "24h", "7d"]).default("none").meta({
      description: "How long the previous secret keeps working (never beyond the key's expiry). Rotating again ends an open window first.",
    }),
  })
  .meta({ id: "RotateSubKeyRequest" });

export const shareSubKeyRequest = z
  .strictObject({
    recipientEmail: z.email("Enter a valid email address.").max(254).meta({ description: "Who receives the one-time retrieval link." }),
    message: z.string().trim().max(SHARE_MESSAGE_MAX).optional().meta({ description: "A note included in the email." }),
    ttlHours: z.number().int().min(1).max(SHARE_TTL_MAX_HOURS).optional().meta({
      description: "How long the link works, in hours (default: the server's setting, 72 unless configured). Never longer than the key lives.",
    }),
  })
  .meta({ id: "ShareSubKeyRequest" });

// ---------- responses ----------

export const subKeySchema = z
  .object({
    id: keyId,
    kind: z.literal("SUB"),
    name: z.string(),
    projectId: z.string(),
    regionId: z.string(),
    accessKeyId: z.string().meta({ description: "Public part of the key pair (the S3 access key id)." }),
    secretLast4: z.string().meta({ description: "Last 4 characters of the secret, to tell secrets apart. The secret itself is only returned on create and rotate." }),
    status: z.enum(["Active", "Disabled", "Expired", "Revoked"]),
    description: z.string().nullable().meta({ description: "Free text about the key, up to 500 characters." }),
    permissions: z.array(permission),
    bucketScope,
    bucketIds: z.array(z.string()),
    prefix: z.string().nullable(),
    allowedCidrs: z.array(z.string()),
    createdAt: dateTime("When the key was created."),
    expiresAt: nullableDateTime("When the key stops working."),
    revokedAt: nullableDateTime("When the key was revoked, if it was."),
    disabledAt: nullableDateTime("When the key was disabled, while it is (enable restores it unchanged)."),
    rotatedAt: nullableDateTime("When the secret was last rotated."),
    previousSecretLast4: z.string().nullable().meta({ description: "Last 4 characters of the previous secret while a rotation overlap window is open." }),
    previousSecretValidUntil: nullableDateTime("End of the rotation overlap window: until then the previous secret still works."),
    lastUsedAt: nullableDateTime("Last S3 request made with the key."),
  })
  .meta({ id: "SubKey", description: "A sub key, never with its secret." });

export const issuedSubKeySchema = z
  .object({
    key: subKeySchema,
    secret: z.string().meta({ description: "The secret access key. Shown once: store it now, it cannot be read again." }),
    endpoint: z.string().meta({ description: "S3 endpoint URL of the key's region." }),
  })
  .meta({ id: "IssuedSubKey", description: "A key with its new secret (create and rotate only)." });

export const subKeyListSchema = z
  .object({ keys: z.array(subKeySchema), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }) })
  .meta({ id: "SubKeyList", description: "Newest first." });

export const bucketSchema = z
  .object({ id: z.string(), name: z.string(), regionId: z.string(), createdAt: dateTime("When the bucket was created.") })
  .meta({ id: "Bucket" });
export const bucketListSchema = z.object({ buckets: z.array(bucketSchema) }).meta({ id: "BucketList" });

export const eventSchema = z
  .object({
    id: z.string().meta({ description: "Increasing event id." }),
    at: dateTime("When it happened."),
    type: z.string().meta({ description: "`key.created`, `key.updated`, `key.rotated`, `key.revoked`, `key.shared`, `key.request` (an S3 request), ..." }),
    description: z.string().meta({ description: "One readable sentence." }),
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    ip: z.string().nullable(),
    operation: z.string().nullable().meta({ description: "S3 operation (e.g. GetObject) for `key.request`." }),
    bucket: z.string().nullable(),
    objectKey: z.string().nullable(),
    status: z.number().int().nullable().meta({ description: "HTTP status of the S3 request." }),
    errorCode: z.string().nullable(),
    bytesIn: z.number().nullable(),
    bytesOut: z.number().nullable(),
    signedWith: z.enum(["current", "previous"]).nullable().meta({
      description: "`key.request`: which secret signed it; `previous` only during a rotation overlap window.",
    }),
    data: z.record(z.string(), z.unknown()).nullable().meta({ description: "Details of management events (e.g. what changed)." }),
  })
  .meta({ id: "Event" });
export const eventListSchema = z
  .object({ events: z.array(eventSchema), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }) })
  .meta({ id: "EventList", description: "Newest first." });

export const shareSchema = z
  .object({
    id: z.string(),
    keyId: z.string(),
    recipientEmail: z.string(),
    expiresAt: dateTime("The link works once, until then."),
  })
  .meta({ id: "Share", description: "A one-time retrieval link, sent by email. The link itself is never returned." });

export const presignUploadRequest = z
  .strictObject({
    method: z.enum(["PUT", "POST"]).default("PUT").meta({ description: "`PUT`: a presigned URL for one object. `POST`: an HTML form's URL and fields (a signed policy)." }),
    bucket: z.string().trim().min(3).max(63).meta({ description: "A bucket in the key's region and scope." }),
    objectKey: z.string().min(1).max(1024).meta({ description: "The object key; for POST, a prefix ending in `/` lets the form append the file's name." }),
    expiresInSeconds: z.number().int().min(60).max(604800).default(3600).meta({ description: "Validity, 60 seconds to 7 days (default 1 hour); never longer than the key lives." }),
    maxBytes: z.number().int().min(1).max(5 * 1024 ** 3).optional().meta({ description: "POST only: the largest accepted file." }),
  })
  .meta({ id: "PresignUploadRequest" });

export const presignedUploadSchema = z
  .object({
    method: z.enum(["PUT", "POST"]),
    url: z.string().meta({ description: "PUT: send the object's bytes to this URL. POST: the form's action." }),
    fields: z.record(z.string(), z.string()).optional().meta({ description: "POST only: hidden form fields, sent before the `file` field." }),
    expiresAt: dateTime("The URL or form stops working then."),
  })
  .meta({ id: "PresignedUpload", description: "A browser upload signed with the sub key's secret; authorized at the gateway like any request of that key." });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code: invalid_input, unauthorized, forbidden, not_found, conflict, key_not_active, rate_limited, internal, ..." }),
      message: z.string().meta({ description: "A sentence for people." }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Per-field messages for invalid_input." }),
    }),
  })
  .meta({ id: "Error", description: "Every error has this shape." });

export type SubKeyView = z.input<typeof subKeySchema>;
export type EventView = z.input<typeof eventSchema>;
