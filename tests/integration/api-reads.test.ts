import { beforeAll, describe, expect, it } from "vitest";
import * as bucketsRoute from "../../app/api/v1/buckets/route";
import * as eventsRoute from "../../app/api/v1/keys/[keyId]/events/route";
import * as revokeRoute from "../../app/api/v1/keys/[keyId]/revoke/route";
import * as rotateRoute from "../../app/api/v1/keys/[keyId]/rotate/route";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as sharesRoute from "../../app/api/v1/keys/[keyId]/shares/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import { findLatestEmail } from "../../lib/email/outbox";
import { apiSetup, call, outboxDir, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

beforeAll(useTestKeyring);

async function withSubKey() {
  const setup = await apiSetup();
  const created = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: setup.master, body: { name: "reader", permissions: ["read", "list"] } });
  return { ...setup, key: created.body.key };
}

describe("GET /api/v1/buckets", () => {
  it("lists the project's buckets only", async () => {
    const { master, buckets } = await apiSetup();
    await apiSetup(); // another project's buckets must not appear
    const res = await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master });
    expect(res.status).toBe(200);
    expect(res.body.buckets.map((b: { id: string }) => b.id).sort()).toEqual(buckets.map((b) => b.id).sort());
    expect(res.body.buckets[0]).toEqual({ id: expect.any(String), name: expect.any(String), regionId: "local", createdAt: expect.any(String) });
  });

  it("validates the project", async () => {
    const { master, project } = await apiSetup();
    expect((await call(bucketsRoute.GET, "GET", `/api/v1/buckets?projectId=${project.id}`, { creds: master })).status).toBe(200);
    expect((await call(bucketsRoute.GET, "GET", "/api/v1/buckets?projectId=someone-elses", { creds: master })).status).toBe(403);
  });
});

describe("GET /api/v1/keys/{keyId}/events", () => {
  it("lists the key's events newest first with sentences, page by page", async () => {
    const { master, key, admin } = await withSubKey();
    const params = { keyId: key.id };
    await call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${key.id}`, { creds: master, params, body: { name: "renamed" } });
    await call(rotateRoute.POST, "POST", `/api/v1/keys/${key.id}/rotate`, { creds: master, params });
    const all = await call(eventsRoute.GET, "GET", `/api/v1/keys/${key.id}/events`, { creds: master, params });
    expect(all.status).toBe(200);
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual(["key.rotated", "key.updated", "key.created"]);
    expect(all.body.nextCursor).toBeNull();
    const [rotated] = all.body.events;
    expect(rotated).toMatchObject({ actorEmail: admin.actor.email, operation: null, bytesIn: null });
    expect(rotated.description).toContain("rotated the secret of renamed");
    expect(all.text).not.toContain("sealed");
    const page1 = await call(eventsRoute.GET, "GET", `/api/v1/keys/${key.id}/events?limit=2`, { creds: master, params });
    expect(page1.body.events).toHaveLength(2);
    const page2 = await call(eventsRoute.GET, "GET", `/api/v1/keys/${key.id}/events?limit=2&cursor=${page1.body.nextCursor}`, { creds: master, params });
    expect(page2.body.events.map((e: { type: string }) => e.type)).toEqual(["key.created"]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it("validates the query and is 404 for keys outside the project", async () => {
    const { master, key } = await withSubKey();
    const other = await withSubKey();
    const get = (keyId: string, qs = "") => call(eventsRoute.GET, "GET", `/api/v1/keys/${keyId}/events${qs}`, { creds: master, params: { keyId } });
    expect((await get(key.id, "?cursor=abc")).status).toBe(400);
    expect((await get(key.id, "?limit=1000")).status).toBe(400);
    expect((await get("nope")).status).toBe(404);
    expect((await get(other.key.id)).status).toBe(404);
    expect((await get(master.id)).status).toBe(404);
  });
});

describe("POST /api/v1/keys/{keyId}/shares", () => {
  it("validates the body and the key before anything else", async () => {
    const { master, key } = await withSubKey();
    const share = (keyId: string, body: unknown) => call(sharesRoute.POST, "POST", `/api/v1/keys/${keyId}/shares`, { creds: master, params: { keyId }, body });
    const bad = await share(key.id, { recipientEmail: "not-an-email" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("recipientEmail");
    expect((await share(key.id, { recipientEmail: "a@example.com", ttlHours: 0 })).body.error.fields).toHaveProperty("ttlHours");
    expect((await share(key.id, { recipientEmail: "a@example.com", link: "x" })).status).toBe(400);
    expect((await share("nope", { recipientEmail: "a@example.com" })).status).toBe(404);
  });

  it("emails a one-time link, never returns it, and records key.shared", async () => {
    const { master, key, admin } = await withSubKey();
    const res = await call(sharesRoute.POST, "POST", `/api/v1/keys/${key.id}/shares`, {
      creds: master, params: { keyId: key.id }, body: { recipientEmail: "Teammate@Example.com", message: "For the backup job.", ttlHours: 24 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), keyId: key.id, recipientEmail: "teammate@example.com", expiresAt: expect.any(String) });
    expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(res.text).not.toContain("/share/");
    const email = await findLatestEmail(outboxDir, { to: "teammate@example.com", tag: "key-share" });
    expect(email?.links.some((l) => l.includes("/share/"))).toBe(true);
    expect(await testDb().event.findFirst({ where: { keyId: key.id, type: "key.shared" } })).toMatchObject({ actorId: admin.actor.userId });
  });

  it("refuses a revoked key (409)", async () => {
    const { master, key } = await withSubKey();
    await call(revokeRoute.POST, "POST", `/api/v1/keys/${key.id}/revoke`, { creds: master, params: { keyId: key.id } });
    const res = await call(sharesRoute.POST, "POST", `/api/v1/keys/${key.id}/shares`, { creds: master, params: { keyId: key.id }, body: { recipientEmail: "a@example.com" } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("key_not_active");
  });
});
