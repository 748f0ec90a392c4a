// Request and response schemas of the governance operations of the organization API
// (organization API tokens): the credential report and the import of existing key pairs.
import { z } from "zod";
import { KEY_PERMISSIONS } from "../keys/permissions";
import { DEFAULT_UNUSED_DAYS, FINDINGS } from "../reports/credential-report";

const nullableDateTime = (description: string) => z.iso.datetime().nullable().meta({ description });

// ---------- credential report ----------

export const credentialReportQuery = z.object({
  projectId: z.string().min(1).max(64).optional().meta({ description: "Only keys of this project." }),
  kind: z.enum(["MASTER", "SUB", "USER"]).optional().meta({ description: "Only keys of this kind (USER: members' region key pairs)." }),
  status: z.enum(["live", "active", "disabled", "expired", "revoked", "all"]).default("live")
    .meta({ description: "`live` (default): active and disabled keys." }),
  finding: z.enum([...FINDINGS, "any"]).optional().meta({ description: "Only keys with this finding (`any`: with at least one)." }),
  unusedDays: z.coerce.number().int().min(1).max(3650).default(DEFAULT_UNUSED_DAYS)
    .meta({ description: `Days without a request before a key is \`unused\` (default ${DEFAULT_UNUSED_DAYS}).` }),
});

const reportRowSchema = z.object({
  keyId: z.string(),
  name: z.string(),
  kind: z.enum(["MASTER", "SUB", "USER"]),
  accessKeyId: z.string(),
  regionId: z.string(),
  imported: z.boolean().meta({ description: "Imported from another S3 service (no Keygate checksum)." }),
  status: z.enum(["Active", "Disabled", "Expired", "Revoked"]),
  projectId: z.string(),
  projectName: z.string(),
  ownerEmail: z.string(),
  createdAt: z.iso.datetime(),
  ageDays: z.number().int(),
  rotatedAt: nullableDateTime("When the secret last changed."),
  lastUsedAt: nullableDateTime("The last S3 request the key signed."),
  lastUsedIp: z.string().nullable(),
  lastUsedOp: z.string().nullable().meta({ description: "S3 operation of the last request, e.g. `GetObject`." }),
  allowedRequests30d: z.number().int().meta({ description: "Allowed S3 requests in the last 30 days." }),
  expiresAt: nullableDateTime("When the key stops working; null: never."),
  expiresInDays: z.number().int().nullable(),
  findings: z.array(z.enum(FINDINGS)).meta({
    description: "`never_used` (no request 7 days after creation), `unused` (none for `unusedDays`), `expiring` (within 7 days), " +
      "`rotation_due` (older than the key policy's rotation period). Only on active and disabled keys.",
  }),
}).meta({ id: "CredentialReportRow" });

export const credentialReportSchema = z.object({
  generatedAt: z.iso.datetime(),
  truncated: z.boolean().meta({ description: "True when more than 5,000 keys matched: narrow the filters." }),
  keys: z.array(reportRowSchema),
}).meta({ id: "CredentialReport" });

export const credentialReportCsvSchema = z.string().meta({ description: "The console's credential report columns and cells, as CSV (RFC 4180)." });

// ---------- key import ----------

export const importKeyRequest = z.strictObject({
  kind: z.enum(["MASTER", "SUB"]).meta({ description: "Master key (full access to the project) or sub key (limited by the fields below)." }),
  name: z.string().trim().min(1).max(64).meta({ description: "A name people recognise, unique in the project." }),
  description: z.string().trim().max(500).optional(),
  regionId: z.string().min(1).max(32).optional().meta({ description: "Region of the key; defaults to the first configured region." }),
  ownerId: z.string().min(1).max(64).optional().meta({ description: "User id of the owner (an ADMIN for master keys); defaults to the token's creator." }),
  accessKeyId: z.string().max(128).meta({ description: "The existing access key id: 16 to 128 characters of A-Z and 0-9, unique on the instance.", example: "AKIAIOSFODNN7EXAMPLE" }),
  secret: z.string().max(128).meta({ description: "The existing secret access key: 30 to 128 visible ASCII characters. Sealed; never returned." }),
  permissions: z.array(z.enum(KEY_PERMISSIONS)).max(KEY_PERMISSIONS.length).default([]).meta({ description: "Sub keys: the permissions (at least one)." }),
  bucketScope: z.enum(["all", "selected"]).default("all"),
  bucketIds: z.array(z.string().min(1).max(64)).max(1000).default([]),
  prefix: z.string().trim().max(1024).nullable().optional(),
  allowedCidrs: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  expiry: z.enum(["7d", "30d", "1y", "custom"]).default("30d"),
  expiresAt: z.string().trim().max(40).optional(),
}).meta({ id: "ImportKeyRequest", description: "An existing key pair (MinIO, Garage, Ceph, AWS-style). Unknown fields are refused." });

export const importedKeySchema = z.object({
  id: z.string(),
  kind: z.enum(["MASTER", "SUB"]),
  name: z.string(),
  projectId: z.string(),
  regionId: z.string(),
  accessKeyId: z.string(),
  imported: z.literal(true),
  expiresAt: nullableDateTime("When the key stops working."),
}).meta({ id: "ImportedKey", description: "The imported key; the secret is never returned." });
