// The OpenAPI document reshaped for the console's reference page: operations with flat field
// tables and a curl example each. Pure functions of the document, so the page shows exactly
// what /api/v1/openapi.json says.
import type { OpenApiDocument } from "./openapi";

type Schema = {
  $ref?: string; type?: string | string[]; enum?: unknown[]; const?: unknown; format?: string; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[];
  properties?: Record<string, Schema>; required?: string[]; description?: string; default?: unknown; additionalProperties?: unknown;
};
type Operation = {
  operationId?: string; summary?: string; description?: string; security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

export type ReferenceField = { name: string; type: string; required: boolean; description?: string; default?: string; where?: string };
export type ReferenceOperation = {
  id: string; method: string; path: string; summary: string; description: string; authenticated: boolean;
  params: ReferenceField[]; body?: { type: string; description?: string; fields: ReferenceField[] };
  response: { status: string; type: string; fields: ReferenceField[] }; errors: { status: string; description: string }[]; curl: string;
};
export type ReferenceSchema = { name: string; description?: string; type: string; fields: ReferenceField[] };

const refName = (ref: string) => ref.split("/").pop()!;

export function typeLabel(s: Schema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeLabel).join(" | ");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return "any";
  return types
    .map((t) => (t === "array" ? `${typeLabel(s.items)}[]` : t === "string" && s.format ? `string (${s.format})` : t === "integer" ? "integer" : t))
    .join(" | ");
}

function schemaOf(doc: OpenApiDocument, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return (doc.components?.schemas as Record<string, Schema> | undefined)?.[refName(s.$ref)];
}

export function fieldsOf(doc: OpenApiDocument, s: Schema | undefined): ReferenceField[] {
  const resolved = schemaOf(doc, s);
  const required = new Set(resolved?.required ?? []);
  return Object.entries(resolved?.properties ?? {}).map(([name, p]) => ({
    name, type: typeLabel(p), required: required.has(name), description: p.description ?? schemaOf(doc, p)?.description,
    default: p.default === undefined ? undefined : JSON.stringify(p.default),
  }));
}

/** Request bodies the curl examples send (a realistic minimum, not every field). */
const EXAMPLE_BODIES: Record<string, unknown> = {
  CreateSubKey: { name: "backup-job", permissions: ["read", "write", "list"], bucketScope: "selected", bucketIds: ["BUCKET_ID"], expiry: "30d" },
  UpdateSubKey: { permissions: ["read", "list"], allowedCidrs: ["203.0.113.0/24"], expiry: "1y" },
  ShareSubKey: { recipientEmail: "teammate@example.com" },
  CreateProject: { name: "analytics" },
  RenameProject: { name: "analytics-eu" },
  CreateProjectBucket: { name: "analytics-raw" },
  ChangeMemberRole: { role: "MEMBER_PLUS" },
  CreateMasterKey: { name: "deploy", expiry: "30d" },
  ImportKey: { kind: "MASTER", name: "from-minio", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secret: "$OLD_SECRET", expiry: "1y" },
};

/** `bearer`: an organization API token's operation; otherwise a master key's (HTTP Basic). */
export function curlExample(baseUrl: string, method: string, path: string, operationId: string, authenticated: boolean, bearer = false): string {
  const url = `${baseUrl}${path.replace(/\{(\w+)\}/g, (_m, p: string) => `$${p.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)}`;
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "${url}"`];
  if (authenticated) lines.push(bearer ? `-H "Authorization: Bearer $KEYGATE_API_TOKEN"` : `-u "$KEYGATE_ACCESS_KEY_ID:$KEYGATE_SECRET"`);
  const body = EXAMPLE_BODIES[operationId];
  if (body) lines.push(`-H "Content-Type: application/json"`, `-d '${JSON.stringify(body)}'`);
  return lines.join(" \\\n  ");
}

export function buildReference(doc: OpenApiDocument, baseUrl: string): { operations: ReferenceOperation[]; schemas: ReferenceSchema[] } {
  const operations: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, raw] of Object.entries(item as Record<string, Operation>)) {
      const op = raw as Operation;
      const authenticated = (op.security ?? [{}]).length > 0;
      const responses = Object.entries(op.responses ?? {});
      const [status, ok] = responses.find(([s]) => s.startsWith("2")) ?? ["200", {}];
      const okSchema = ok.content?.["application/json"]?.schema ?? ok.content?.["text/csv"]?.schema;
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        id: op.operationId ?? `${method} ${path}`, method: method.toUpperCase(), path, summary: op.summary ?? "", description: op.description ?? "", authenticated,
        params: (op.parameters ?? []).map((p) => ({
          name: p.name, where: p.in, type: typeLabel(p.schema), required: !!p.required, description: p.description,
          default: p.schema?.default === undefined ? undefined : JSON.stringify(p.schema.default),
        })),
        body: bodySchema ? { type: typeLabel(bodySchema), description: schemaOf(doc, bodySchema)?.description, fields: fieldsOf(doc, bodySchema) } : undefined,
        response: { status, type: typeLabel(okSchema), fields: fieldsOf(doc, okSchema) },
        errors: responses.filter(([s]) => !s.startsWith("2")).map(([s, r]) => ({ status: s, description: r.description ?? "" })),
        curl: curlExample(baseUrl, method.toUpperCase(), path, op.operationId ?? "", authenticated, (op.security ?? []).some((s) => typeof s === "object" && s !== null && "orgToken" in s)),
      });
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>)
    .filter(([name]) => !name.endsWith("Request"))
    .map(([name, s]) => ({ name, description: s.description, type: typeLabel({ ...s, description: undefined }), fields: fieldsOf(doc, s) }));
  return { operations, schemas };
}
