// Request and response schemas of the organization API (organization API tokens): projects,
// buckets, members' roles and master keys of the token's organization.
import { z } from "zod";
import { bucketSchema } from "./schemas";

const id = (description: string) => z.string().min(1).max(64).meta({ description });
const dateTime = (description: string) => z.iso.datetime().meta({ description });
const nullableDateTime = (description: string) => z.iso.datetime().nullable().meta({ description });
const role = z.enum(["ADMIN", "MEMBER_PLUS", "MEMBER"]).meta({ id: "Role", description: "ADMIN manages everything; MEMBER_PLUS may hold keys; MEMBER sees the organization only." });

// ---------- requests ----------

export const projectParams = z.object({ projectId: id("A project of the token's organization.") });
export const projectBucketParams = z.object({ projectId: id("A project of the token's organization."), bucketId: id("A bucket of that project.") });
export const projectKeyParams = z.object({ projectId: id("A project of the token's organization."), keyId: id("A master key of that project.") });
export const memberParams = z.object({ memberId: id("A membership id (see GET /api/v1/members).") });

const projectName = z.string().trim().min(2).max(64).meta({ description: "2 to 64 visible characters, unique in the organization." });
export const createProjectRequest = z.strictObject({ name: projectName }).meta({ id: "CreateProjectRequest" });
export const renameProjectRequest = z.strictObject({ name: projectName }).meta({ id: "RenameProjectRequest" });

export const createBucketRequest = z
  .strictObject({
    name: z.string().trim().min(3).max(63).meta({ description: "S3 bucket name, unique in its region." }),
    regionId: z.string().min(1).max(32).optional().meta({ description: "Region of the bucket; defaults to the first configured region." }),
    versioning: z.boolean().optional().meta({ description: "Enable versioning from the start (default false). It can be suspended later, never undone." }),
    objectLock: z.boolean().optional().meta({
      description: "Create the bucket with Object Lock (default false). Implies versioning; it cannot be turned off later, and versioning cannot be suspended.",
    }),
  })
  .meta({ id: "CreateBucketRequest" });

export const createdBucketSchema = bucketSchema
  .extend({
    versioning: z.enum(["Unversioned", "Enabled"]).meta({ description: "Versioning state of the new bucket." }),
    objectLock: z.boolean().meta({ description: "Whether the bucket was created with Object Lock." }),
  })
  .meta({ id: "CreatedBucket" });

export const changeMemberRoleRequest = z.strictObject({ role }).meta({
  id: "ChangeMemberRoleRequest",
  description: "Demoting an ADMIN revokes their master keys; MEMBER keeps no keys at all. The last ADMIN cannot be demoted.",
});

export const createMasterKeyRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(64).meta({ description: "A name people recognise, unique in the project." }),
    description: z.string().trim().max(500).optional(),
    regionId: z.string().min(1).max(32).optional().meta({ description: "Region of the key; defaults to the first configured region." }),
    ownerId: z.string().min(1).max(64).optional().meta({ description: "User id of the ADMIN who owns the key; defaults to the token's creator." }),
    expiry: z.enum(["7d", "30d", "1y", "custom"]).default("30d").meta({ description: "Lifetime from now; `custom` uses `expiresAt`." }),
    expiresAt: z.string().trim().max(40).optional().meta({ description: "With `expiry: custom`: an ISO 8601 date or date-time, in the future." }),
  })
  .meta({ id: "CreateMasterKeyRequest" });

// ---------- responses ----------

export const projectSchema = z.object({ id: z.string(), name: z.string(), createdAt: dateTime("When the project was created.") }).meta({ id: "Project" });
export const projectListSchema = z.object({ projects: z.array(projectSchema) }).meta({ id: "ProjectList", description: "By name." });
export const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "Deleted" });
export const orgBucketListSchema = z.object({ buckets: z.array(bucketSchema) }).meta({ id: "ProjectBucketList" });

export const memberSchema = z
  .object({
    id: z.string().meta({ description: "Membership id." }),
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role,
    joinedAt: dateTime("When the person joined."),
  })
  .meta({ id: "Member" });
export const memberListSchema = z.object({ members: z.array(memberSchema) }).meta({ id: "MemberList" });

export const masterKeySchema = z
  .object({
    id: z.string(),
    kind: z.literal("MASTER"),
    name: z.string(),
    projectId: z.string(),
    regionId: z.string(),
    accessKeyId: z.string(),
    secretLast4: z.string(),
    ownerId: z.string(),
    status: z.enum(["Active", "Disabled", "Expired", "Revoked"]),
    createdAt: dateTime("When the key was created."),
    expiresAt: nullableDateTime("When the key stops working."),
    revokedAt: nullableDateTime("When the key was revoked, if it was."),
    lastUsedAt: nullableDateTime("Last S3 request made with the key."),
  })
  .meta({ id: "MasterKey", description: "A master key, never with its secret." });
export const masterKeyListSchema = z.object({ keys: z.array(masterKeySchema) }).meta({ id: "MasterKeyList", description: "Newest first." });
export const issuedMasterKeySchema = z
  .object({
    key: masterKeySchema,
    secret: z.string().meta({ description: "The secret access key. Shown once: store it now." }),
    endpoint: z.string().meta({ description: "S3 endpoint URL of the key's region." }),
  })
  .meta({ id: "IssuedMasterKey" });

export type MasterKeyView = z.input<typeof masterKeySchema>;
