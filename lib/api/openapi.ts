// The OpenAPI 3.1 document of /api/v1, generated from API_OPERATIONS and the zod schemas the
// route wrapper enforces (zod-to-openapi 8+ reads zod 4's `.meta()`).
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_RATE_LIMIT } from "./handler";
import { API_OPERATIONS, type ApiOperation } from "./operations";
import { errorSchema } from "./schemas";

export const OPENAPI_PATH = "/api/v1/openapi.json";

const ERROR_RESPONSES = {
  400: "The request is invalid (`invalid_input`, with per-field messages in `fields`).",
  401: "Missing or wrong credentials: the master key (or organization API token) is unknown, revoked, expired, or its owner is no longer an ADMIN.",
  403: "The credentials may not do this (a master key acts on its own project only), or a web page of another site sent the request (`cross_site_request`).",
  404: "No such resource in the master key's project (or the token's organization).",
  409: "The key is not active any more (`key_not_active`), or the change conflicts with existing data.",
  415: "The request has a body that is not declared as JSON (`unsupported_media_type`): send `Content-Type: application/json`.",
  429: "Rate limit of the master key or token reached; retry after `Retry-After` seconds.",
  500: "Unexpected failure; the message carries a request id for the operator.",
  502: "The region's storage refused the change or could not be reached (`storage_refused`, `storage_unavailable`); nothing was created.",
} as const;

type ErrorStatus = keyof typeof ERROR_RESPONSES;
const COMMON_ERRORS: ErrorStatus[] = [400, 401, 403, 429, 500];

function tagOf(op: ApiOperation): string {
  if (op.auth === "orgToken") {
    if (op.path.startsWith("/api/v1/credential-report") || op.path.endsWith("/keys/import")) return "Governance";
    if (op.path.startsWith("/api/v1/members")) return "Members";
    if (op.path.includes("/master-keys")) return "Master keys";
    return op.path.includes("/buckets") ? "Project buckets" : "Projects";
  }
  return op.path.startsWith("/api/v1/buckets") ? "Buckets" : op.path.startsWith("/api/v1/policy") ? "Key policy" : "Sub keys";
}

function registerPath(registry: OpenAPIRegistry, name: string, op: ApiOperation, security: string) {
  const statuses = [...new Set([...COMMON_ERRORS, ...(op.body ? [415 as const] : []), ...op.errors])].sort((a, b) => a - b);
  const errors = Object.fromEntries(statuses.map((s) => [
    String(s), { description: ERROR_RESPONSES[s], content: { "application/json": { schema: errorSchema } } },
  ]));
  registry.registerPath({
    operationId: name,
    method: op.method.toLowerCase() as "get" | "post" | "patch" | "delete",
    path: op.path,
    summary: op.summary,
    description: op.description,
    tags: [tagOf(op)],
    security: [{ [security]: [] }],
    request: {
      params: op.params,
      query: op.query,
      body: op.body ? { required: true, content: { "application/json": { schema: op.body } } } : undefined,
    },
    responses: {
      [String(op.status)]: { description: op.status === 201 ? "Created." : "OK.", content: { [op.produces ?? "application/json"]: { schema: op.response } } },
      ...errors,
    },
  });
}

function buildDocument(serverUrl: string | undefined) {
  const registry = new OpenAPIRegistry();
  const { name: security } = registry.registerComponent("securitySchemes", "masterKey", {
    type: "http", scheme: "basic",
    description: "A master key of the project: its access key id as the user name and its secret as the password.",
  });
  const { name: tokenSecurity } = registry.registerComponent("securitySchemes", "orgToken", {
    type: "http", scheme: "bearer",
    description: "An organization API token (`kgt_…`), created by an ADMIN in the organization's settings (or `keygate token create`). " +
      "It acts on its own organization only, with the rights of the ADMIN who created it, until it expires or is revoked.",
  });
  for (const [name, op] of Object.entries(API_OPERATIONS) as [string, ApiOperation][]) {
    registerPath(registry, name, op, op.auth === "orgToken" ? tokenSecurity : security);
  }
  registry.registerPath({
    operationId: "GetOpenApiDocument", method: "get", path: OPENAPI_PATH, tags: ["Reference"], security: [],
    summary: "This document", description: "The OpenAPI 3.1 description of the management API. No authentication.",
    responses: { "200": { description: "OK.", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Keygate management API",
      version: "1.0.0",
      description:
        "Manage a project's sub keys and read its buckets and key events with a master key (HTTP Basic), and the projects, buckets, " +
        "members' roles and master keys of an organization with an organization API token (`Authorization: Bearer`). " +
        "Errors always have the shape `{ error: { code, message } }`. " +
        `Each master key and each token may make ${API_RATE_LIMIT.limit} requests per ${API_RATE_LIMIT.windowMs / 1000} seconds. ` +
        "Every call is recorded as an event: `api.request` of the master key, or `api_token.request` of the token.",
    },
    servers: serverUrl ? [{ url: serverUrl }] : undefined,
  });
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;
const cache = new Map<string, OpenApiDocument>();

/** The document (built once per server URL; the schemas do not change at run time). */
export function buildOpenApiDocument(serverUrl?: string): OpenApiDocument {
  const key = serverUrl ?? "";
  let doc = cache.get(key);
  if (!doc) cache.set(key, (doc = buildDocument(serverUrl)));
  return doc;
}
