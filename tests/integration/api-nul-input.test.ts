// Text PostgreSQL cannot store (U+0000) and malformed page cursors, anywhere a client can put them:
// each is a clear 400 (or 401 before authentication), never a 500 with a stack trace in the log.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as sharesRoute from "../../app/api/v1/keys/[keyId]/shares/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import * as bucketsRoute from "../../app/api/v1/buckets/route";
import { decodeCursor, encodeCursor } from "../../lib/keys/list-keys";
import { AppError } from "../../lib/errors";
import { createSubKey } from "../../lib/keys/create-keys";
import { apiSetup, call, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

beforeAll(useTestKeyring);

const logged = vi.spyOn(console, "error");
afterEach(() => {
  // A 500 logs "[api] … failed" with the error: none of these requests may get there.
  expect(logged.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith("[api]"))).toEqual([]);
  logged.mockClear();
});

const b64url = (s: string) => Buffer.from(s).toString("base64url");

describe("NUL characters", () => {
  it("in the Basic credentials: 401 before any lookup", async () => {
    for (const id of ["AB\0CD", "\0", "KG\u0001X"]) {
      const authorization = `Basic ${Buffer.from(`${id}:secret`).toString("base64")}`;
      const res = await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { authorization });
      expect(res.status, JSON.stringify(id)).toBe(401);
    }
  });

  it("in a body field, a path parameter or a query parameter: 400 naming the field, nothing written", async () => {
    const { master, project, admin } = await apiSetup();
    const creds = master;
    const before = await testDb().accessKey.count({ where: { projectId: project.id } });
    for (const body of [
      { name: "k", permissions: ["read"], description: "a\0b" },
      { name: "k", permissions: ["read"], prefix: "logs/\0" },
      { name: "k", permissions: ["read"], bucketIds: ["x\0y"] },
      { name: "k", permissions: ["read"], "odd\0field": 1 },
    ]) {
      const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(JSON.stringify(res.body.error.fields)).toContain("NUL");
    }
    expect((await call(keysRoute.POST, "POST", "/api/v1/keys", { creds, body: { name: "k", permissions: ["read"], description: "a\0b" } })).body.error.fields)
      .toEqual({ description: ["Must not contain NUL characters (\\u0000)."] });
    expect(await testDb().accessKey.count({ where: { projectId: project.id } })).toBe(before);

    const got = await call(keyRoute.GET, "GET", "/api/v1/keys/ab%00cd", { creds, params: { keyId: "ab\0cd" } });
    expect(got.status).toBe(400);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "sub", regionId: "local", permissions: ["read"] });
    const patched = await call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${key.id}`, { creds, params: { keyId: key.id }, body: { description: "\0" } });
    expect(patched.status).toBe(400);
    const shared = await call(sharesRoute.POST, "POST", `/api/v1/keys/${key.id}/shares`, { creds, params: { keyId: key.id }, body: { recipientEmail: "a@example.com", message: "hi\0" } });
    expect(shared.status).toBe(400);
    const listed = await call(keysRoute.GET, "GET", `/api/v1/keys?q=${encodeURIComponent("a\0")}`, { creds });
    expect(listed.status).toBe(400);
  });

  it("in a cursor: 400, as is a cursor that is not one the API made", async () => {
    const { master } = await apiSetup();
    for (const cursor of [
      b64url("2020-01-01T00:00:00Z|a\0b"),
      b64url("-000001-01-01T00:00:00Z|abc"),
      b64url("+275760-09-13T00:00:00Z|abc"),
      b64url("2020-01-01T00:00:00Z|abc|x"),
      b64url("2020-01-01T00:00:00Z|"),
      "zzz",
    ]) {
      const res = await call(keysRoute.GET, "GET", `/api/v1/keys?cursor=${cursor}`, { creds: master });
      expect(res.status, cursor).toBe(400);
      expect(res.body.error.message).toMatch(/cursor|Check the request/);
    }
    const c = { createdAt: new Date("2026-12-01T10:00:00.123Z"), id: "cmabc123def456" };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it("reaching a query anyway (a caller without these checks): 400, not a database error", async () => {
    const read = testDb().accessKey.findFirst({ where: { name: "a\0b" } });
    await expect(read).rejects.toBeInstanceOf(AppError);
    await expect(read).rejects.toMatchObject({ status: 400, code: "invalid_input" });
    await expect(testDb().$transaction((tx) => tx.user.findFirst({ where: { email: "x\0@example.com" } }))).rejects.toMatchObject({ status: 400 });
  });
});
