import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS } from "../../lib/api/operations";
import { buildOpenApiDocument } from "../../lib/api/openapi";
import { buildReference } from "../../lib/api/reference";
import { KEY_PERMISSIONS, PERMISSION_INFO } from "../../lib/keys/permissions";
import { GET as getOpenApiJson } from "../../app/api/v1/openapi.json/route";

const API_DIR = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const doc = buildOpenApiDocument("http://localhost:3000") as unknown as { [k: string]: Json } & {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { description?: string }>; parameters?: { name: string; in: string }[]; security?: unknown[] }>>;
};

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []);
}

/** app/api/v1/keys/[keyId]/route.ts → /api/v1/keys/{keyId} */
const toApiPath = (file: string) =>
  `/api/v1${path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean).map((s) => `/${s.replace(/^\[(\w+)\]$/, "{$1}")}`).join("")}`;

function collectRefs(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

function resolvePointer(root: Json, ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node && typeof node === "object" && !Array.isArray(node) ? node[part] : undefined;
  }
  return node;
}

describe("OpenAPI document of /api/v1", () => {
  it("is OpenAPI 3.1.0 with info, and every operation has an id, a summary and described responses", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const label = `${method.toUpperCase()} ${p}`;
        expect(op.operationId, label).toBeTruthy();
        expect(ids.has(op.operationId!), label).toBe(false);
        ids.add(op.operationId!);
        const responses = Object.entries(op.responses ?? {});
        expect(responses.length, label).toBeGreaterThan(0);
        expect(responses.some(([s]) => s.startsWith("2")), label).toBe(true);
        for (const [status, r] of responses) expect(r.description, `${label} ${status}`).toBeTruthy();
        const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((op.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name).sort(), label).toEqual(templated.sort());
      }
    }
  });

  it("resolves every $ref", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  it("protects every operation but the document itself with a master key or an organization API token, and documents 401 and 429", () => {
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (p === "/api/v1/openapi.json") {
          expect(op.security).toEqual([]);
          continue;
        }
        const orgToken = (API_OPERATIONS as Record<string, { auth?: string }>)[op.operationId!]?.auth === "orgToken";
        expect(op.security, `${method} ${p}`).toEqual([orgToken ? { orgToken: [] } : { masterKey: [] }]);
        expect(Object.keys(op.responses!)).toEqual(expect.arrayContaining(["400", "401", "429", "500"]));
      }
    }
    expect(resolvePointer(doc, "#/components/securitySchemes/masterKey")).toMatchObject({ type: "http", scheme: "basic" });
    expect(resolvePointer(doc, "#/components/securitySchemes/orgToken")).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/v1/projects"].post.security).toEqual([{ orgToken: [] }]);
    expect(doc.paths["/api/v1/projects/{projectId}/master-keys"].post.security).toEqual([{ orgToken: [] }]);
  });

  it("lists exactly the routes and methods under app/api/v1", async () => {
    const files = routeFiles(API_DIR);
    expect(files.length).toBeGreaterThanOrEqual(7);
    const fromFiles: string[] = [];
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const m of METHODS) if (typeof mod[m] === "function") fromFiles.push(`${m} ${toApiPath(file)}`);
    }
    const fromDoc = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(fromDoc.sort()).toEqual(fromFiles.sort());
    const fromTable = Object.values(API_OPERATIONS).map((op) => `${op.method} ${op.path}`);
    expect(fromFiles).toEqual(expect.arrayContaining(fromTable));
  }, 30_000); // imports every route module: slow on a loaded machine
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the document without authentication", async () => {
    const res = getOpenApiJson();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toContain("/api/v1/keys/{keyId}/rotate");
  });
});

describe("console reference built from the document", () => {
  const { operations, schemas } = buildReference(buildOpenApiDocument("https://keygate.example.com"), "https://keygate.example.com");

  it("shows every operation with its fields and a curl example using HTTP Basic", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`)).sort());
    const create = operations.find((o) => o.id === "CreateSubKey")!;
    expect(create.body!.fields).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: "name", required: true, type: "string" }),
      expect.objectContaining({ name: "permissions", required: true, type: "Permission[]" }),
      expect.objectContaining({ name: "expiry", required: false, default: '"30d"' }),
    ]));
    expect(create.response).toMatchObject({ status: "201", type: "IssuedSubKey" });
    expect(create.curl).toContain('curl -X POST "https://keygate.example.com/api/v1/keys"');
    expect(create.curl).toContain('-u "$KEYGATE_ACCESS_KEY_ID:$KEYGATE_SECRET"');
    expect(create.curl).toMatch(/-d '\{"name":"backup-job"/);
    const rotate = operations.find((o) => o.id === "RotateSubKey")!;
    expect(rotate.params).toEqual([expect.objectContaining({ name: "keyId", where: "path", required: true })]);
    expect(rotate.curl).toContain("/api/v1/keys/$KEY_ID/rotate");
    const doc_ = operations.find((o) => o.id === "GetOpenApiDocument")!;
    expect(doc_.curl).not.toContain("-u ");
  });

  it("describes the shared schemas, including every SubKey field and the error shape", () => {
    const subKey = schemas.find((s) => s.name === "SubKey")!;
    expect(subKey.fields.map((f) => f.name)).toEqual(expect.arrayContaining(["id", "accessKeyId", "status", "permissions", "bucketIds", "expiresAt"]));
    expect(subKey.fields.map((f) => f.name)).not.toContain("secret");
    expect(schemas.find((s) => s.name === "Error")!.fields[0]).toMatchObject({ name: "error", required: true });
    expect(schemas.find((s) => s.name === "Permission")!.type).toContain('"read"');
  });

  it("describes every permission, each granular one with the basic one it needs", () => {
    const permission = (doc.components as { schemas: Record<string, { enum: string[]; description: string }> }).schemas.Permission;
    expect(permission.enum).toEqual([...KEY_PERMISSIONS]);
    for (const p of KEY_PERMISSIONS) {
      const requires = PERMISSION_INFO[p].requires;
      expect(permission.description).toContain(requires ? `  - \`${p}\` (needs \`${requires}\`): ${PERMISSION_INFO[p].description}` : `- \`${p}\`: ${PERMISSION_INFO[p].description}`);
    }
  });
});
