// One table of the management API: each operation's method, path, schemas and prose. The route
// wrapper (handler.ts) enforces it and openapi.ts documents it, from the same objects.
import type { z } from "zod";
import {
  bucketListSchema, createSubKeyRequest, eventListSchema, issuedSubKeySchema, keyIdParams, listBucketsQuery, listEventsQuery, listKeysQuery,
  presignedUploadSchema, presignUploadRequest, rotateSubKeyRequest, shareSchema, shareSubKeyRequest, subKeyListSchema, subKeySchema, updateSubKeyRequest,
} from "./schemas";
import { GOVERNANCE_API_OPERATIONS } from "./governance-operations";
import { ORG_API_OPERATIONS } from "./org-operations";
import { keyPolicyView, updateKeyPolicyRequest } from "./policy-schemas";

type Schema = z.ZodType;

export type ApiOperation = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Who may call it: a master key (default, acts on its own project) or an organization API token. */
  auth?: "orgToken";
  /** The response body's media type when it is not JSON (the response schema is then a string). */
  produces?: "text/csv";
  /** OpenAPI form, `{param}` for path parameters. */
  path: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: Schema;
  response: Schema;
  status: 200 | 201;
  /** Error statuses besides the ones every operation has (400, 401, 429, 500). */
  errors: readonly (403 | 404 | 409 | 502)[];
};

export const API_OPERATIONS = {
  ListSubKeys: {
    method: "GET", path: "/api/v1/keys", status: 200, query: listKeysQuery, response: subKeyListSchema, errors: [403],
    summary: "List sub keys",
    description: "Sub keys of the master key's project, newest first, one page at a time (keyset pagination).",
  },
  CreateSubKey: {
    method: "POST", path: "/api/v1/keys", status: 201, body: createSubKeyRequest, response: issuedSubKeySchema, errors: [403, 409],
    summary: "Create a sub key",
    description: "Issues a sub key with limited permissions, buckets, prefix, source IPs and expiry. The response holds the secret, once.",
  },
  GetSubKey: {
    method: "GET", path: "/api/v1/keys/{keyId}", status: 200, params: keyIdParams, response: subKeySchema, errors: [404],
    summary: "Get a sub key",
    description: "One sub key of the project, without its secret.",
  },
  UpdateSubKey: {
    method: "PATCH", path: "/api/v1/keys/{keyId}", status: 200, params: keyIdParams, body: updateSubKeyRequest, response: subKeySchema, errors: [403, 404, 409],
    summary: "Update a sub key",
    description: "Changes the name, permissions, buckets, prefix, source IP limits or expiry of an active sub key. Changes apply to the next S3 request.",
  },
  RotateSubKey: {
    method: "POST", path: "/api/v1/keys/{keyId}/rotate", status: 200, params: keyIdParams, body: rotateSubKeyRequest, response: issuedSubKeySchema,
    errors: [404, 409],
    summary: "Rotate a sub key's secret",
    description: "Keeps the access key id and issues a new secret, returned once. The old secret stops working at once, or at the end of the " +
      "`overlap` window (both secrets work meanwhile; S3 request events say which one signed).",
  },
  EndSubKeyOverlap: {
    method: "POST", path: "/api/v1/keys/{keyId}/end-overlap", status: 200, params: keyIdParams, response: subKeySchema, errors: [404],
    summary: "End a rotation overlap window now",
    description: "The previous secret stops working from the next S3 request on and is destroyed. Changes nothing when no window is open.",
  },
  DisableSubKey: {
    method: "POST", path: "/api/v1/keys/{keyId}/disable", status: 200, params: keyIdParams, response: subKeySchema, errors: [404, 409],
    summary: "Disable a sub key",
    description: "The gateway refuses the key (403, \"the access key is disabled\") from the next S3 request on, until it is enabled again.",
  },
  EnableSubKey: {
    method: "POST", path: "/api/v1/keys/{keyId}/enable", status: 200, params: keyIdParams, response: subKeySchema, errors: [404, 409],
    summary: "Enable a disabled sub key",
    description: "Restores the key exactly as it was before it was disabled (same secret, scope and expiry).",
  },
  RevokeSubKey: {
    method: "POST", path: "/api/v1/keys/{keyId}/revoke", status: 200, params: keyIdParams, response: subKeySchema, errors: [404, 409],
    summary: "Revoke a sub key",
    description: "The key is refused from the next S3 request on. Cannot be undone; revoking a revoked key changes nothing.",
  },
  ShareSubKey: {
    method: "POST", path: "/api/v1/keys/{keyId}/shares", status: 201, params: keyIdParams, body: shareSubKeyRequest, response: shareSchema,
    errors: [404, 409],
    summary: "Share a sub key by email",
    description: "Emails a one-time link from which the recipient retrieves the key pair. The link itself is never returned.",
  },
  PresignUpload: {
    method: "POST", path: "/api/v1/keys/{keyId}/presign-upload", status: 200, params: keyIdParams, body: presignUploadRequest, response: presignedUploadSchema,
    errors: [404, 409],
    summary: "Presign a browser upload",
    description: "A presigned PUT URL, or POST form fields, with which a browser uploads straight to the gateway using this sub key. The bucket needs CORS rules for pages on other origins.",
  },
  ListSubKeyEvents: {
    method: "GET", path: "/api/v1/keys/{keyId}/events", status: 200, params: keyIdParams, query: listEventsQuery, response: eventListSchema, errors: [404],
    summary: "List a sub key's events",
    description: "Management events (created, updated, rotated, revoked, shared) and S3 requests of the key, newest first.",
  },
  GetKeyPolicy: {
    method: "GET", path: "/api/v1/policy", status: 200, response: keyPolicyView, errors: [],
    summary: "Get the organization's key policy",
    description: "Lifetimes, who may create sub keys, required sub key limits, sharing and the rotation period of the master key's organization.",
  },
  UpdateKeyPolicy: {
    method: "PATCH", path: "/api/v1/policy", status: 200, body: updateKeyPolicyRequest, response: keyPolicyView, errors: [],
    summary: "Change the organization's key policy",
    description: "Enforced from now on when keys are created, edited or shared, in the console, the API and the CLI. Every change is an event.",
  },
  ListBuckets: {
    method: "GET", path: "/api/v1/buckets", status: 200, query: listBucketsQuery, response: bucketListSchema, errors: [403],
    summary: "List buckets",
    description: "Buckets of the master key's project, for `bucketIds` of a sub key.",
  },
  ...ORG_API_OPERATIONS,
  ...GOVERNANCE_API_OPERATIONS,
} as const satisfies Record<string, ApiOperation>;

export type OperationName = keyof typeof API_OPERATIONS;
export type Operations = typeof API_OPERATIONS;
