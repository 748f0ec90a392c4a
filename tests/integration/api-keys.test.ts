import { beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as revokeRoute from "../../app/api/v1/keys/[keyId]/revoke/route";
import * as rotateRoute from "../../app/api/v1/keys/[keyId]/rotate/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { unsealKeySecret } from "../../lib/keys/keyring";
import { apiEvents, apiSetup, call, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

beforeAll(useTestKeyring);

const newKey = (extra: Record<string, unknown> = {}) => ({ name: "backup-job", permissions: ["read", "list"], ...extra });

describe("POST /api/v1/keys", () => {
  it("creates a sub key with the master key's owner as creator and returns the secret once", async () => {
    const { project, buckets, master, admin } = await apiSetup();
    const res = await call(keysRoute.POST, "POST", "/api/v1/keys", {
      creds: master, headers: { "x-keygate-client-ip": "198.51.100.7", "x-forwarded-for": "203.0.113.66" },
      body: newKey({ bucketScope: "selected", bucketIds: [buckets[0].id], prefix: "uploads/", allowedCidrs: ["203.0.113.0/24"], expiry: "7d" }),
    });
    expect(res.status).toBe(201);
    const { key, secret, endpoint } = res.body;
    expect(key).toMatchObject({
      kind: "SUB", name: "backup-job", projectId: project.id, regionId: "local", status: "Active", permissions: ["read", "list"],
      bucketScope: "selected", bucketIds: [buckets[0].id], prefix: "uploads/", allowedCidrs: ["203.0.113.0/24"], secretLast4: secret.slice(-4),
    });
    expect(endpoint).toBe("http://localhost:9000");
    expect(new Date(key.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(res.text).not.toContain("sealedSecret");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ kind: "SUB", projectId: project.id, createdById: admin.actor.userId, ownerId: admin.actor.userId });
    expect(unsealKeySecret(row)).toBe(secret);
    const created = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.created" } });
    expect(created).toMatchObject({ actorId: admin.actor.userId, ip: "198.51.100.7", userAgent: "api-test" });
    const [call1] = await apiEvents(master.id);
    expect(call1).toMatchObject({ operation: "CreateSubKey", status: 201, accessKeyId: master.accessKeyId, projectId: project.id, ip: "198.51.100.7" });
    expect(call1.data).toEqual({ method: "POST", path: "/api/v1/keys" });
    expect(JSON.stringify(await testDb().event.findMany({ where: { orgId: row.orgId } }), (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(secret);
  });

  it("refuses invalid input with field errors and writes nothing", async () => {
    const { project, master } = await apiSetup();
    const cases: [unknown, string][] = [
      [{}, "name"],
      [newKey({ name: "" }), "name"],
      [newKey({ permissions: [] }), "permissions"],
      [newKey({ permissions: ["fly"] }), "permissions.0"],
      [newKey({ colour: "blue" }), "_form"],
      [newKey({ expiry: "custom", expiresAt: "2001-01-01" }), "expiresAt"],
      [newKey({ permissions: ["read_versions"] }), "permissions"],
      [newKey({ bucketScope: "selected" }), "bucketIds"],
      [newKey({ bucketScope: "selected", bucketIds: ["nope"] }), "bucketIds"],
      [newKey({ allowedCidrs: ["300.1.1.1/8"] }), "allowedCidrs"],
    ];
    for (const [body, field] of cases) {
      const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const notJson = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: "{name:" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toEqual({ code: "invalid_input", message: "The request body is not valid JSON." });
    expect(await testDb().accessKey.count({ where: { projectId: project.id, kind: "SUB" } })).toBe(0);
  });

  it("grants every granular permission with its basic one, and names the basic one when it is missing", async () => {
    const { master } = await apiSetup();
    const all = ["bypass_governance", "write_legal_hold", "write_retention", "read_legal_hold", "read_retention", "multipart_list", "delete_versions", "read_versions", "delete", "list", "write", "read"];
    const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey({ permissions: all }) });
    expect(res.status).toBe(201);
    expect(res.body.key.permissions).toEqual([...all].reverse());
    const missing = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey({ permissions: ["read", "list", "write_retention", "bypass_governance"] }) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.permissions).toEqual(['"Set retention" requires "Write".', '"Bypass governance retention" requires "Delete".']);
  });

  it("refuses another project (403) and buckets of another project (400)", async () => {
    const { master } = await apiSetup();
    const other = await apiSetup();
    const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey({ projectId: other.project.id }) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    const foreignBucket = await call(keysRoute.POST, "POST", "/api/v1/keys", {
      creds: master, body: newKey({ bucketScope: "selected", bucketIds: [other.buckets[0].id] }),
    });
    expect(foreignBucket.status).toBe(400);
  });
});

describe("GET /api/v1/keys", () => {
  it("lists the project's sub keys newest first, page by page, and nothing else", async () => {
    const { project, master, admin } = await apiSetup();
    for (const name of ["one", "two", "three"]) await createSubKey(testDb(), admin, { projectId: project.id, name, regionId: "local", permissions: ["read"] });
    const other = await apiSetup();
    await createSubKey(testDb(), other.admin, { projectId: other.project.id, name: "elsewhere", regionId: "local", permissions: ["read"] });
    const first = await call(keysRoute.GET, "GET", "/api/v1/keys?limit=2", { creds: master });
    expect(first.status).toBe(200);
    expect(first.body.keys.map((k: { name: string }) => k.name)).toEqual(["three", "two"]);
    expect(first.body.keys[0]).not.toHaveProperty("secret");
    const second = await call(keysRoute.GET, "GET", `/api/v1/keys?limit=2&cursor=${first.body.nextCursor}&projectId=${project.id}`, { creds: master });
    expect(second.body).toMatchObject({ keys: [{ name: "one", bucketScope: "all", bucketIds: [] }], nextCursor: null });
  });

  it("validates the query and refuses another project", async () => {
    const { master } = await apiSetup();
    const other = await apiSetup();
    expect((await call(keysRoute.GET, "GET", "/api/v1/keys?limit=0", { creds: master })).body.error.fields).toHaveProperty("limit");
    expect((await call(keysRoute.GET, "GET", "/api/v1/keys?limit=abc", { creds: master })).status).toBe(400);
    expect((await call(keysRoute.GET, "GET", "/api/v1/keys?cursor=bogus", { creds: master })).status).toBe(400);
    expect((await call(keysRoute.GET, "GET", `/api/v1/keys?projectId=${other.project.id}`, { creds: master })).status).toBe(403);
  });
});

async function withSubKey() {
  const setup = await apiSetup();
  const created = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: setup.master, body: newKey({ expiry: "30d" }) });
  return { ...setup, key: created.body.key, secret: created.body.secret as string };
}

describe("GET /api/v1/keys/{keyId}", () => {
  it("returns the key without its secret", async () => {
    const { master, key, secret } = await withSubKey();
    const res = await call(keyRoute.GET, "GET", `/api/v1/keys/${key.id}`, { creds: master, params: { keyId: key.id } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(key);
    expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain("sealed");
  });

  it("is 404 for unknown ids, other projects' keys and master keys", async () => {
    const { master, project, admin } = await withSubKey();
    const other = await withSubKey();
    const otherMaster = await createMasterKey(testDb(), admin, { projectId: project.id, name: "second", regionId: "local" });
    for (const keyId of ["nope", other.key.id, master.id, otherMaster.id]) {
      const res = await call(keyRoute.GET, "GET", `/api/v1/keys/${keyId}`, { creds: master, params: { keyId } });
      expect(res.status, keyId).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });
});

describe("PATCH /api/v1/keys/{keyId}", () => {
  it("changes only the fields sent, including expiry, and records what changed", async () => {
    const { master, key, buckets } = await withSubKey();
    const patch = (body: unknown) => call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${key.id}`, { creds: master, params: { keyId: key.id }, body });
    const renamed = await patch({ name: "nightly" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...key, name: "nightly" });
    const scoped = await patch({ bucketIds: [buckets[1].id], permissions: ["read", "write", "list"], prefix: "logs/", allowedCidrs: ["10.0.0.0/8"] });
    expect(scoped.body).toMatchObject({ name: "nightly", bucketScope: "selected", bucketIds: [buckets[1].id], permissions: ["read", "write", "list"], prefix: "logs/", allowedCidrs: ["10.0.0.0/8"] });
    const cleared = await patch({ prefix: null, bucketScope: "all", allowedCidrs: [] });
    expect(cleared.body).toMatchObject({ prefix: null, bucketScope: "all", bucketIds: [], allowedCidrs: [] });
    const extended = await patch({ expiry: "custom", expiresAt: "2030-01-31" });
    expect(extended.body.expiresAt).toBe("2030-01-31T23:59:59.000Z");
    expect(extended.body.name).toBe("nightly");
    const changes = (await testDb().event.findMany({ where: { keyId: key.id, type: "key.updated" }, orderBy: { id: "asc" } }))
      .map((e) => Object.keys((e.data as { changes: object }).changes).sort());
    expect(changes).toEqual([["name"], ["allBuckets", "allowedCidrs", "bucketIds", "permissions", "prefix"], ["allBuckets", "allowedCidrs", "bucketIds", "prefix"], ["expiresAt"]]);
  });

  it("validates before writing anything", async () => {
    const { master, key } = await withSubKey();
    const patch = (body: unknown) => call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${key.id}`, { creds: master, params: { keyId: key.id }, body });
    expect((await patch({})).status).toBe(400);
    expect((await patch({ permissions: ["fly"] })).status).toBe(400);
    expect((await patch({ allowedCidrs: ["not-an-ip"] })).body.error.fields).toHaveProperty("allowedCidrs");
    const past = await patch({ name: "should-not-stick", expiry: "custom", expiresAt: "2001-01-01" });
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toHaveProperty("expiresAt");
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).name).toBe("backup-job");
    const unknown = await call(keyRoute.PATCH, "PATCH", "/api/v1/keys/nope", { creds: master, params: { keyId: "nope" }, body: { name: "x" } });
    expect(unknown.status).toBe(404);
  });

  it("refuses to change a revoked key (409)", async () => {
    const { master, key } = await withSubKey();
    await call(revokeRoute.POST, "POST", `/api/v1/keys/${key.id}/revoke`, { creds: master, params: { keyId: key.id } });
    const res = await call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${key.id}`, { creds: master, params: { keyId: key.id }, body: { expiry: "1y" } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("key_not_active");
  });
});

describe("POST /api/v1/keys/{keyId}/rotate and /revoke", () => {
  it("rotate returns a new secret for the same access key id", async () => {
    const { master, key, secret } = await withSubKey();
    const res = await call(rotateRoute.POST, "POST", `/api/v1/keys/${key.id}/rotate`, { creds: master, params: { keyId: key.id } });
    expect(res.status).toBe(200);
    expect(res.body.key.accessKeyId).toBe(key.accessKeyId);
    expect(res.body.secret).not.toBe(secret);
    expect(res.body.key.rotatedAt).not.toBeNull();
    expect(unsealKeySecret(await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } }))).toBe(res.body.secret);
    expect((await call(rotateRoute.POST, "POST", "/api/v1/keys/nope/rotate", { creds: master, params: { keyId: "nope" } })).status).toBe(404);
  });

  it("revoke is final and repeatable; a revoked key cannot be rotated", async () => {
    const { master, key } = await withSubKey();
    const revoke = () => call(revokeRoute.POST, "POST", `/api/v1/keys/${key.id}/revoke`, { creds: master, params: { keyId: key.id } });
    const first = await revoke();
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("Revoked");
    expect((await revoke()).status).toBe(200);
    expect((await call(rotateRoute.POST, "POST", `/api/v1/keys/${key.id}/rotate`, { creds: master, params: { keyId: key.id } })).status).toBe(409);
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.revoked" } })).toBe(1);
    expect((await call(revokeRoute.POST, "POST", "/api/v1/keys/nope/revoke", { creds: master, params: { keyId: "nope" } })).status).toBe(404);
  });
});
