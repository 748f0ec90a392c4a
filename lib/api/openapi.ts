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
  401: "Missing or wrong credentials, or the master key is revoked, expired or not a master key.",
  403: "The master key may not act on this project.",
  404: "No such sub key in the master key's project.",
  409: "The key is not active any more (`key_not_active`), or the change conflicts with existing data.",
  429: "Rate limit of the master key reached; retry after `Retry-After` seconds.",
  500: "Unexpected failure; the message carries a request id for the operator.",
} as const;

type ErrorStatus = keyof typeof ERROR_RESPONSES;
const COMMON_ERRORS: ErrorStatus[] = [400, 401, 429, 500];

function registerPath(registry: OpenAPIRegistry, name: string, op: ApiOperation, security: string) {
  const statuses = [...new Set([...COMMON_ERRORS, ...op.errors])].sort((a, b) => a - b);
  const errors = Object.fromEntries(statuses.map((s) => [
    String(s), { description: ERROR_RESPONSES[s], content: { "application/json": { schema: errorSchema } } },
  ]));
  registry.registerPath({
    operationId: name,
    method: op.method.toLowerCase() as "get" | "post" | "patch",
    path: op.path,
    summary: op.summary,
    description: op.description,
    tags: [op.path.startsWith("/api/v1/buckets") ? "Buckets" : "Sub keys"],
    security: [{ [security]: [] }],
    request: {
      params: op.params,
      query: op.query,
      body: op.body ? { required: true, content: { "application/json": { schema: op.body } } } : undefined,
    },
    responses: {
      [String(op.status)]: { description: op.status === 201 ? "Created." : "OK.", content: { "application/json": { schema: op.response } } },
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
  for (const [name, op] of Object.entries(API_OPERATIONS)) registerPath(registry, name, op, security);
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
        "Manage a project's sub keys and read its buckets and key events with a master key (HTTP Basic). " +
        "Errors always have the shape `{ error: { code, message } }`. " +
        `Each master key may make ${API_RATE_LIMIT.limit} requests per ${API_RATE_LIMIT.windowMs / 1000} seconds. ` +
        "Every call is recorded as an `api.request` event of the master key.",
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
