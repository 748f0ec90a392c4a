// The organization API's operations (organization API tokens, `Authorization: Bearer`), merged
// into API_OPERATIONS: the same wrapper enforces them and openapi.ts documents them.
import type { ApiOperation } from "./operations";
import {
  changeMemberRoleRequest, createBucketRequest, createdBucketSchema, createMasterKeyRequest, createProjectRequest, deletedSchema, issuedMasterKeySchema, masterKeyListSchema,
  masterKeySchema, memberListSchema, memberParams, memberSchema, orgBucketListSchema, projectBucketParams, projectKeyParams, projectListSchema, projectParams,
  projectSchema, renameProjectRequest,
} from "./org-schemas";

const org = "orgToken" as const;

export const ORG_API_OPERATIONS = {
  ListProjects: {
    auth: org, method: "GET", path: "/api/v1/projects", status: 200, response: projectListSchema, errors: [],
    summary: "List projects", description: "Every project of the token's organization, by name.",
  },
  CreateProject: {
    auth: org, method: "POST", path: "/api/v1/projects", status: 201, body: createProjectRequest, response: projectSchema, errors: [403, 409],
    summary: "Create a project", description: "A new project of the token's organization (`project.created` event).",
  },
  RenameProject: {
    auth: org, method: "PATCH", path: "/api/v1/projects/{projectId}", status: 200, params: projectParams, body: renameProjectRequest, response: projectSchema,
    errors: [403, 404, 409], summary: "Rename a project", description: "Project names are unique in the organization.",
  },
  DeleteProject: {
    auth: org, method: "DELETE", path: "/api/v1/projects/{projectId}", status: 200, params: projectParams, response: deletedSchema, errors: [403, 404, 409],
    summary: "Delete a project", description: "Refused (409) while the project has buckets: delete them first. Its keys stop working at once.",
  },
  ListProjectBuckets: {
    auth: org, method: "GET", path: "/api/v1/projects/{projectId}/buckets", status: 200, params: projectParams, response: orgBucketListSchema, errors: [404],
    summary: "List a project's buckets", description: "Buckets of the project in every region.",
  },
  CreateProjectBucket: {
    auth: org, method: "POST", path: "/api/v1/projects/{projectId}/buckets", status: 201, params: projectParams, body: createBucketRequest, response: createdBucketSchema,
    errors: [403, 404, 409, 502], summary: "Create a bucket",
    description: "Creates the bucket in the region's storage and in Keygate together, optionally with versioning or Object Lock (Object Lock implies versioning and is permanent).",
  },
  DeleteProjectBucket: {
    auth: org, method: "DELETE", path: "/api/v1/projects/{projectId}/buckets/{bucketId}", status: 200, params: projectBucketParams, response: deletedSchema,
    errors: [403, 404, 409], summary: "Delete a bucket", description: "Refused (409) while the bucket holds objects.",
  },
  ListMembers: {
    auth: org, method: "GET", path: "/api/v1/members", status: 200, response: memberListSchema, errors: [],
    summary: "List members", description: "Members of the token's organization with their roles, oldest first.",
  },
  ChangeMemberRole: {
    auth: org, method: "PATCH", path: "/api/v1/members/{memberId}", status: 200, params: memberParams, body: changeMemberRoleRequest, response: memberSchema,
    errors: [403, 404, 409], summary: "Change a member's role",
    description: "As in the console: demoting an ADMIN revokes their master keys (and the organization API tokens they created stop working); the last ADMIN cannot be demoted.",
  },
  ListMasterKeys: {
    auth: org, method: "GET", path: "/api/v1/projects/{projectId}/master-keys", status: 200, params: projectParams, response: masterKeyListSchema, errors: [404],
    summary: "List a project's master keys", description: "Every master key of the project, in every status, newest first, never with secrets.",
  },
  CreateMasterKey: {
    auth: org, method: "POST", path: "/api/v1/projects/{projectId}/master-keys", status: 201, params: projectParams, body: createMasterKeyRequest,
    response: issuedMasterKeySchema, errors: [403, 404, 409], summary: "Create a master key",
    description: "Full access to every bucket of the project in its region, owned by an ADMIN. The response holds the secret, once.",
  },
  RevokeMasterKey: {
    auth: org, method: "POST", path: "/api/v1/projects/{projectId}/master-keys/{keyId}/revoke", status: 200, params: projectKeyParams, response: masterKeySchema,
    errors: [404], summary: "Revoke a master key", description: "Refused by the gateway and the API from the next request on. Cannot be undone.",
  },
} as const satisfies Record<string, ApiOperation>;
