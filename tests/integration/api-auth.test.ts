import { beforeAll, describe, expect, it, vi } from "vitest";
import * as bucketsRoute from "../../app/api/v1/buckets/route";
import * as eventsRoute from "../../app/api/v1/keys/[keyId]/events/route";
import * as revokeRoute from "../../app/api/v1/keys/[keyId]/revoke/route";
import * as rotateRoute from "../../app/api/v1/keys/[keyId]/rotate/route";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as sharesRoute from "../../app/api/v1/keys/[keyId]/shares/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import { API_RATE_LIMIT, apiRoute } from "../../lib/api/handler";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { createRegionKey } from "../../lib/keys/region-keys";
import { apiEvents, apiSetup, call, type Creds, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

beforeAll(useTestKeyring);

/** Every authenticated route, callable with any credentials. */
const ROUTES = [
  ["ListSubKeys", keysRoute.GET, "GET", "/api/v1/keys", undefined],
  ["CreateSubKey", keysRoute.POST, "POST", "/api/v1/keys", { name: "x", permissions: ["read"] }],
  ["GetSubKey", keyRoute.GET, "GET", "/api/v1/keys/K", undefined],
  ["UpdateSubKey", keyRoute.PATCH, "PATCH", "/api/v1/keys/K", { name: "y" }],
  ["RotateSubKey", rotateRoute.POST, "POST", "/api/v1/keys/K/rotate", undefined],
  ["RevokeSubKey", revokeRoute.POST, "POST", "/api/v1/keys/K/revoke", undefined],
  ["ShareSubKey", sharesRoute.POST, "POST", "/api/v1/keys/K/shares", { recipientEmail: "a@example.com" }],
  ["ListSubKeyEvents", eventsRoute.GET, "GET", "/api/v1/keys/K/events", undefined],
  ["ListBuckets", bucketsRoute.GET, "GET", "/api/v1/buckets", undefined],
] as const;

const callRoute = (route: (typeof ROUTES)[number], keyId: string, opts: { creds?: Creds; authorization?: string }) =>
  call(route[1], route[2], route[3].replace("K", keyId), { ...opts, params: { keyId }, body: route[4] });

async function expect401(res: Awaited<ReturnType<typeof call>>, label: string) {
  expect(res.status, label).toBe(401);
  expect(res.headers.get("www-authenticate"), label).toMatch(/^Basic realm="keygate"/);
  expect(res.body.error.code, label).toBe("unauthorized");
  return res.body.error.message as string;
}

describe("authentication", () => {
  it("every route answers 401 without credentials, and records nothing", async () => {
    const { master, admin, project } = await apiSetup();
    const sub = await createSubKey(testDb(), admin, { projectId: project.id, name: "s", regionId: "local", permissions: ["read"] });
    for (const route of ROUTES) await expect401(await callRoute(route, sub.id, {}), route[0]);
    expect(await apiEvents(master.id)).toEqual([]);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: sub.id } })).name).toBe("s");
  });

  it("refuses wrong, malformed, revoked, expired, sub, region and orphaned keys with one generic message", async () => {
    const { master, admin, project, members } = await apiSetup();
    const sub = await createSubKey(testDb(), admin, { projectId: project.id, name: "s", regionId: "local", permissions: ["read"] });
    const pair = await createRegionKey(testDb(), admin, project.id, "local");
    const revoked = await createMasterKey(testDb(), admin, { projectId: project.id, name: "old", regionId: "local" });
    await revokeKey(testDb(), admin, revoked.id);
    const expired = await createMasterKey(testDb(), admin, { projectId: project.id, name: "expired", regionId: "local" });
    await testDb().accessKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const byMemberPlus = await createSubKey(testDb(), members.MEMBER_PLUS, { projectId: project.id, name: "mp", regionId: "local", permissions: ["read"] });
    const demoted = await apiSetup();
    await testDb().membership.updateMany({ where: { orgId: demoted.org.id, userId: demoted.admin.actor.userId }, data: { role: "MEMBER_PLUS" } });

    const attempts: [string, { creds?: Creds; authorization?: string }][] = [
      ["wrong secret", { creds: { accessKeyId: master.accessKeyId, secret: `${master.secret.slice(0, -1)}x` } }],
      ["empty secret", { creds: { accessKeyId: master.accessKeyId, secret: "" } }],
      ["unknown id", { creds: { accessKeyId: "KGNOSUCHKEY000000000", secret: master.secret } }],
      ["bearer", { authorization: `Bearer ${master.secret}` }],
      ["not base64", { authorization: "Basic !!!" }],
      ["no colon", { authorization: `Basic ${Buffer.from(master.accessKeyId).toString("base64")}` }],
      ["revoked master", { creds: revoked }],
      ["expired master", { creds: expired }],
      ["sub key", { creds: sub }],
      ["sub key of a MEMBER_PLUS", { creds: byMemberPlus }],
      ["region key pair", { creds: pair }],
      ["owner no longer ADMIN", { creds: demoted.master }],
    ];
    const messages = new Set<string>();
    for (const [label, opts] of attempts) messages.add(await expect401(await call(bucketsRoute.GET, "GET", "/api/v1/buckets", opts), label));
    expect(messages.size).toBe(1);
    expect((await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master })).status).toBe(200);
  });
});

describe("project confinement", () => {
  it("a master key of another project gets 403 for that project and 404 for its keys, on every key route", async () => {
    const mine = await apiSetup();
    const sub = await createSubKey(testDb(), mine.admin, { projectId: mine.project.id, name: "s", regionId: "local", permissions: ["read"] });
    const sameOrgProject = await testDb().project.create({ data: { orgId: mine.org.id, name: "other" } });
    const sameOrgMaster = await createMasterKey(testDb(), mine.admin, { projectId: sameOrgProject.id, name: "m2", regionId: "local" });
    const otherOrg = await apiSetup();
    for (const outsider of [sameOrgMaster, otherOrg.master]) {
      for (const route of ROUTES.filter((r) => r[3].includes("/K"))) {
        const res = await callRoute(route, sub.id, { creds: outsider });
        expect(res.status, route[0]).toBe(404);
      }
      const list = await call(keysRoute.GET, "GET", `/api/v1/keys?projectId=${mine.project.id}`, { creds: outsider });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe("forbidden");
      expect((await call(bucketsRoute.GET, "GET", `/api/v1/buckets?projectId=${mine.project.id}`, { creds: outsider })).status).toBe(403);
      const create = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: outsider, body: { projectId: mine.project.id, name: "x", permissions: ["read"] } });
      expect(create.status).toBe(403);
    }
    const own = await call(keysRoute.GET, "GET", "/api/v1/keys", { creds: sameOrgMaster });
    expect(own.body.keys).toEqual([]);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: sub.id } })).revokedAt).toBeNull();
  });
});

describe("rate limiting and request events", () => {
  it("answers 429 with Retry-After once the window is used up, records the first refusal only, and recovers", async () => {
    const { master } = await apiSetup();
    const ok = await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master });
    expect(ok.headers.get("ratelimit-limit")).toBe(String(API_RATE_LIMIT.limit));
    expect(ok.headers.get("ratelimit-remaining")).toBe(String(API_RATE_LIMIT.limit - 1));
    await testDb().rateLimit.update({ where: { key: `api:${master.id}` }, data: { count: API_RATE_LIMIT.limit } });
    for (let i = 0; i < 3; i++) {
      const limited = await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("rate_limited");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    }
    expect((await apiEvents(master.id)).map((e) => e.status)).toEqual([200, 429]);
    await testDb().rateLimit.update({ where: { key: `api:${master.id}` }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect((await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master })).status).toBe(200);
  });

  it("counts each master key separately", async () => {
    const a = await apiSetup();
    const b = await createMasterKey(testDb(), a.admin, { projectId: a.project.id, name: "second", regionId: "local" });
    await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: a.master });
    await testDb().rateLimit.update({ where: { key: `api:${a.master.id}` }, data: { count: API_RATE_LIMIT.limit } });
    expect((await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: a.master })).status).toBe(429);
    expect((await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: b })).status).toBe(200);
  });

  it("records every authenticated call, failed ones included, as an event of the master key", async () => {
    const { master, admin } = await apiSetup();
    await call(keyRoute.GET, "GET", "/api/v1/keys/nope", { creds: master, params: { keyId: "nope" }, headers: { "x-keygate-client-ip": "192.0.2.9" } });
    await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: { name: "" } });
    const events = await apiEvents(master.id);
    expect(events.map((e) => [e.operation, e.status, e.errorCode, e.outcome])).toEqual([
      ["GetSubKey", 404, "not_found", "allowed"],
      ["CreateSubKey", 400, "invalid_input", "allowed"],
    ]);
    expect(events[0]).toMatchObject({ actorId: admin.actor.userId, actorEmail: admin.actor.email, ip: "192.0.2.9", userAgent: "api-test" });
    expect(events[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0].data).toEqual({ method: "GET", path: "/api/v1/keys/nope" });
  });
});

describe("unexpected failures", () => {
  it("answer 500 with a request id and nothing of the error, log it, and record the call", async () => {
    const { master } = await apiSetup();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const throws = apiRoute("ListBuckets", async () => { throw new Error("relation \"Secret\" does not exist"); });
    const badOutput = apiRoute("ListBuckets", async () => ({ buckets: [{ id: "b", name: "n", regionId: "local", createdAt: "not a date" }] }));
    for (const handler of [throws, badOutput]) {
      const res = await call(handler, "GET", "/api/v1/buckets", { creds: master });
      expect(res.status).toBe(500);
      const requestId = res.headers.get("x-request-id")!;
      expect(res.body).toEqual({ error: { code: "internal", message: `Internal error (request id ${requestId})` } });
      expect(res.text).not.toContain("Secret");
    }
    expect(logged).toHaveBeenCalledTimes(2);
    logged.mockRestore();
    expect((await apiEvents(master.id)).map((e) => [e.status, e.errorCode])).toEqual([[500, "internal"], [500, "internal"]]);
  });
});

describe("requests a browser makes for another site's page", () => {
  // A browser with the master key's Basic credentials cached sends them with any form another
  // site posts here; such a form can carry text/plain only, and it always carries an Origin.
  const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" };

  it("are refused before anything happens: no key created or revoked, nothing recorded", async () => {
    const { master, admin, project } = await apiSetup();
    const sub = await createSubKey(testDb(), admin, { projectId: project.id, name: "s", regionId: "local", permissions: ["read"] });
    const cases: [string, Record<string, string>][] = [
      ["Sec-Fetch-Site cross-site", evil],
      ["Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
      ["an Origin of another host", { origin: "https://evil.example", host: "localhost:3000" }],
      ["an opaque Origin", { origin: "null", host: "localhost:3000" }],
    ];
    for (const [label, headers] of cases) {
      const created = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, headers, body: JSON.stringify({ name: "csrf", permissions: ["read"] }) });
      expect(created.status, label).toBe(403);
      expect(created.body.error.code, label).toBe("cross_site_request");
      const revoked = await call(revokeRoute.POST, "POST", `/api/v1/keys/${sub.id}/revoke`, { creds: master, headers, params: { keyId: sub.id } });
      expect(revoked.status, label).toBe(403);
    }
    const keys = await testDb().accessKey.findMany({ where: { projectId: project.id, kind: "SUB" } });
    expect(keys.map((k) => [k.name, k.revokedAt])).toEqual([["s", null]]);
    expect(await apiEvents(master.id)).toEqual([]);
  });

  it("from the API's own origin, behind a proxy or not, go through", async () => {
    const { master } = await apiSetup();
    const own = await call(keysRoute.GET, "GET", "/api/v1/keys", { creds: master, headers: { origin: "http://localhost:3000", host: "localhost:3000", "sec-fetch-site": "same-origin" } });
    expect(own.status).toBe(200);
    const proxied = await call(keysRoute.GET, "GET", "/api/v1/keys", { creds: master, headers: { origin: "https://keys.example", host: "127.0.0.1:3000", "x-forwarded-host": "keys.example" } });
    expect(proxied.status).toBe(200);
  });
});

describe("request bodies", () => {
  it("must be declared as JSON: 415 otherwise, and nothing is created", async () => {
    const { master, project } = await apiSetup();
    const body = JSON.stringify({ name: "typed", permissions: ["read"] });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp", ""]) {
      const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, headers: { "content-type": type }, body });
      expect(res.status, type).toBe(415);
      expect(res.body.error).toEqual({ code: "unsupported_media_type", message: expect.stringContaining("Content-Type: application/json") });
    }
    expect(await testDb().accessKey.count({ where: { projectId: project.id, kind: "SUB" } })).toBe(0);
    for (const [i, type] of ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"].entries()) {
      const res = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, headers: { "content-type": type }, body: JSON.stringify({ name: `typed-${i}`, permissions: ["read"] }) });
      expect(res.status, type).toBe(201);
    }
  });

  it("may be left out without a type where none is needed", async () => {
    const { master, admin, project } = await apiSetup();
    const sub = await createSubKey(testDb(), admin, { projectId: project.id, name: "s", regionId: "local", permissions: ["read"] });
    const res = await call(rotateRoute.POST, "POST", `/api/v1/keys/${sub.id}/rotate`, { creds: master, params: { keyId: sub.id } });
    expect(res.status).toBe(200);
  });
});
