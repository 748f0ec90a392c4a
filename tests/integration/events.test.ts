import { describe, expect, it } from "vitest";
import { getOrgContext } from "../../lib/auth/context";
import { AppError } from "../../lib/errors";
import { dailyRequestCounts } from "../../lib/events/daily-counts";
import { type EventScope, listEvents, loadKeyNames, eventSubject } from "../../lib/events/query";
import { parseEventFilters, safeParseEventFilters, type EventFilters } from "../../lib/events/query-filters";
import { describeEvent } from "../../lib/events/registry";
import { INSTANCE_EVENT_SCOPE, resolveKeyEventScope, resolveOrgEventScope } from "../../lib/events/scope";
import { DAY, eventWorld, insertEvents, insertKey, requestEvents } from "./events-fixtures";
import { listInstanceKeyChoices } from "../../lib/operators";
import { createUser, testDb } from "./helpers";

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof AppError ? e.status : (e?.name ?? "error")));
const filters = (f: Record<string, string>) => parseEventFilters(new URLSearchParams(f));

/** Every event of a scope, following `next` cursors, as ids. */
async function walk(scope: EventScope, f: EventFilters = {}, limit = 50) {
  const ids: bigint[] = [];
  let before: bigint | undefined;
  for (;;) {
    const page = await listEvents(testDb(), scope, { ...f, before }, limit);
    ids.push(...page.events.map((e) => e.id));
    if (!page.next) return ids;
    before = BigInt(page.next);
  }
}

describe("keyset pagination", () => {
  it("pages newest first and stays stable while new events arrive", async () => {
    const w = await eventWorld();
    await insertEvents(requestEvents(w.plusSub, 120));
    const { scope } = await resolveKeyEventScope(testDb(), w.plus, w.plusSub.id);
    const all = await walk(scope, {}, 500);
    expect(all).toHaveLength(120);
    expect([...all].sort((a, b) => (a < b ? 1 : -1))).toEqual(all);

    const first = await listEvents(testDb(), scope, {}, 50);
    expect(first.prev).toBeNull();
    await insertEvents(requestEvents(w.plusSub, 30)); // new events while the user reads page 1
    const second = await listEvents(testDb(), scope, { before: BigInt(first.next!) }, 50);
    const third = await listEvents(testDb(), scope, { before: BigInt(second.next!) }, 50);
    expect([...first.events, ...second.events, ...third.events].map((e) => e.id)).toEqual(all);
    expect(third.next).toBeNull();
    // "Previous" from page 2 is page 1 again, not the 30 newer events.
    const back = await listEvents(testDb(), scope, { after: BigInt(second.prev!) }, 50);
    expect(back.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(back.next).toBe(first.next);
  });

  it("rejects a malformed cursor and ignores empty form fields", () => {
    expect(() => filters({ before: "12abc" })).toThrow(AppError);
    expect(filters({ type: "", outcome: "", bucket: "", before: "" })).toEqual({});
    expect(safeParseEventFilters({ type: "nope" }).ok).toBe(false);
    const f = filters({ from: "2026-03-01", to: "2026-03-04" });
    expect(f.from!.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(f.to!.toISOString()).toBe("2026-03-05T00:00:00.000Z"); // the end date is inclusive
    expect(safeParseEventFilters({ from: "2026-03-04", to: "2026-03-01" }).ok).toBe(false);
  });
});

describe("filters", () => {
  it("narrow by type, outcome, bucket, time range, key and actor", async () => {
    const w = await eventWorld();
    const now = Date.now();
    await insertEvents([
      ...requestEvents(w.adminKey, 5, {}, new Date(now - 10 * DAY)),
      ...requestEvents(w.adminKey, 3, { outcome: "denied", status: 403, errorCode: "AccessDenied", bucket: "private" }, new Date(now - 2 * DAY)),
      ...requestEvents(w.plusSub, 4, { bucket: "private" }),
      { type: "key.rotated", orgId: w.org.id, projectId: w.p1.id, keyId: w.adminKey.id, accessKeyId: w.adminKey.accessKeyId, actorId: w.admin.actor.userId,
        actorEmail: w.admin.actor.email, actorName: "Admin", outcome: "allowed", data: { last4: "wxyz" } },
      { type: "bucket.created", orgId: w.org.id, projectId: w.p1.id, actorId: w.admin.actor.userId, actorEmail: w.admin.actor.email, outcome: "allowed", data: { name: "private", regionId: "local" } },
    ]);
    const scope = await resolveOrgEventScope(testDb(), w.admin);
    const count = async (f: Record<string, string>) => (await walk(scope, filters(f))).length;
    expect(await count({})).toBe(14);
    expect(await count({ type: "key.request" })).toBe(12);
    expect(await count({ outcome: "denied" })).toBe(3);
    expect(await count({ bucket: "private" })).toBe(8); // 7 requests + the bucket.created event
    expect(await count({ bucket: "private", outcome: "denied" })).toBe(3);
    expect(await count({ keyId: w.adminKey.id })).toBe(9);
    expect(await count({ keyId: w.adminKey.accessKeyId })).toBe(9); // the public id works too
    expect(await count({ actor: w.admin.actor.email.toUpperCase() })).toBe(2);
    expect(await count({ actor: w.admin.actor.userId, type: "key.rotated" })).toBe(1);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(await count({ from: day(now - 11 * DAY), to: day(now - 9 * DAY) })).toBe(5);
    expect(await count({ from: day(now - 3 * DAY), type: "key.request" })).toBe(7);
    expect(await count({ to: day(now - 3 * DAY) })).toBe(5);
  });

  it("read as sentences through the registry, naming the key", async () => {
    const w = await eventWorld();
    await insertEvents(requestEvents(w.plusSub, 1, { operation: "PutObject", objectKey: "a.jpg", bytesIn: 1_200_000n, bytesOut: 0n }));
    const { events } = await listEvents(testDb(), (await resolveKeyEventScope(testDb(), w.admin, w.plusSub.id)).scope, {});
    const names = await loadKeyNames(testDb(), events);
    expect(describeEvent(events[0], eventSubject(events[0], names))).toBe("plus-sub PutObject photos/a.jpg → 200, 1.2 MB, from 10.0.0.7");
  });
});

describe("role scoping", () => {
  async function seeded() {
    const w = await eventWorld();
    await insertEvents([
      ...requestEvents(w.adminKey, 3), ...requestEvents(w.plusSub, 4), ...requestEvents(w.plusPair, 2), ...requestEvents(w.adminSub, 5),
      { type: "member.invited", orgId: w.org.id, actorId: w.admin.actor.userId, outcome: "allowed", data: { email: "x@y.z", role: "MEMBER" } },
    ]);
    return w;
  }

  it("ADMIN sees every event of the organization; a project view only that project's", async () => {
    const w = await seeded();
    expect(await walk(await resolveOrgEventScope(testDb(), w.admin))).toHaveLength(15);
    expect(await walk(await resolveOrgEventScope(testDb(), w.admin, { projectId: w.p2.id }))).toHaveLength(7);
  });

  it("MEMBER_PLUS sees only events of the keys they manage, even when asking for another key", async () => {
    const w = await seeded();
    const scope = await resolveOrgEventScope(testDb(), w.plus);
    const { events } = await listEvents(testDb(), scope, {}, 100);
    expect(new Set(events.map((e) => e.keyId))).toEqual(new Set([w.plusSub.id, w.plusPair.id]));
    expect(events).toHaveLength(6);
    expect(await walk(scope, {}, 2)).toEqual(events.map((e) => e.id)); // the per-key merge pages correctly
    expect(await walk(scope, filters({ keyId: w.adminKey.id }))).toEqual([]);
    expect(await walk(await resolveOrgEventScope(testDb(), w.plus, { projectId: w.p2.id }))).toHaveLength(2);
    expect(await status(resolveKeyEventScope(testDb(), w.plus, w.adminSub.id))).toBe(404);
    expect(await status(resolveKeyEventScope(testDb(), w.plus, w.adminKey.id))).toBe(404);
    expect(await status(resolveKeyEventScope(testDb(), w.plus, w.plusPair.id))).toBe(200);
  });

  it("MEMBER gets 403; another organization's users get 404", async () => {
    const w = await seeded();
    expect(await status(resolveOrgEventScope(testDb(), w.member))).toBe(403);
    expect(await status(resolveKeyEventScope(testDb(), w.member, w.plusSub.id))).toBe(403);
    const other = await eventWorld();
    expect(await status(getOrgContext(testDb(), other.admin.actor, w.org.id))).toBe(404);
    expect(await status(resolveKeyEventScope(testDb(), other.admin, w.adminKey.id))).toBe(404);
    expect(await status(resolveOrgEventScope(testDb(), other.admin, { projectId: w.p1.id }))).toBe(404);
    expect(await status(getOrgContext(testDb(), await createUser("Stranger"), w.org.id))).toBe(404);
  });

  it("the instance scope spans organizations and filters by one", async () => {
    const a = await seeded();
    const b = await seeded();
    const both = await listEvents(testDb(), INSTANCE_EVENT_SCOPE, {}, 30);
    expect(new Set(both.events.map((e) => e.orgId))).toEqual(new Set([a.org.id, b.org.id]));
    expect(await walk(INSTANCE_EVENT_SCOPE, filters({ orgId: a.org.id }))).toHaveLength(15);
  });
});

describe("requests per day", () => {
  it("counts allowed and denied S3 requests per UTC day over 30 days, zero-filled", async () => {
    const w = await eventWorld();
    const now = new Date("2026-03-31T12:00:00Z");
    const at = (iso: string) => new Date(iso);
    await insertEvents([
      ...requestEvents(w.plusSub, 4, {}, at("2026-03-31T10:00:00Z")),
      ...requestEvents(w.plusSub, 2, { outcome: "denied", status: 403 }, at("2026-03-31T11:00:00Z")),
      ...requestEvents(w.plusSub, 3, {}, at("2026-03-02T00:00:10Z")),
      ...requestEvents(w.plusSub, 5, {}, at("2026-03-01T23:59:00Z")), // one day before the window
      ...requestEvents(w.adminKey, 7, {}, at("2026-03-31T10:00:00Z")), // another key
      { type: "key.rotated", at: at("2026-03-31T09:00:00Z"), orgId: w.org.id, keyId: w.plusSub.id, outcome: "allowed" }, // not a request
    ]);
    const { scope } = await resolveKeyEventScope(testDb(), w.plus, w.plusSub.id);
    const days = await dailyRequestCounts(testDb(), scope, { now });
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ day: "2026-03-02", allowed: 3, denied: 0 });
    expect(days[29]).toEqual({ day: "2026-03-31", allowed: 4, denied: 2 });
    expect(days.slice(1, 29).every((d) => d.allowed === 0 && d.denied === 0)).toBe(true);
    const org = await dailyRequestCounts(testDb(), await resolveOrgEventScope(testDb(), w.plus), { now });
    expect(org[29]).toEqual({ day: "2026-03-31", allowed: 4, denied: 2 }); // MEMBER_PLUS: not the admin's key
    // The organization, project and operator event pages chart their own scope with the same query.
    const adminOrg = await dailyRequestCounts(testDb(), await resolveOrgEventScope(testDb(), w.admin), { now });
    expect(adminOrg[29]).toEqual({ day: "2026-03-31", allowed: 11, denied: 2 });
    const p2 = await dailyRequestCounts(testDb(), await resolveOrgEventScope(testDb(), w.admin, { projectId: w.p2.id }), { now });
    expect(p2.every((d) => d.allowed === 0 && d.denied === 0)).toBe(true);
    const instance = await dailyRequestCounts(testDb(), INSTANCE_EVENT_SCOPE, { now });
    expect(instance[29].allowed).toBeGreaterThanOrEqual(11); // other tests' organizations may add to it
    expect(instance[29].denied).toBeGreaterThanOrEqual(2);
  });
});

it("the operator's key filter suggests an organization's keys by name, with the organization", async () => {
  const w = await eventWorld();
  const keys = await listInstanceKeyChoices(testDb(), w.org.id);
  expect(keys.map((k) => k.name).sort()).toEqual(["admin-master", "admin-sub", "plus-pair", "plus-sub"]);
  expect(keys.every((k) => k.orgName === w.org.name && k.accessKeyId)).toBe(true);
  expect(await listInstanceKeyChoices(testDb(), "no-such-org")).toEqual([]);
});

it("a revoked key's events stay readable for its manager", async () => {
  const w = await eventWorld();
  const key = await insertKey({ orgId: w.org.id, projectId: w.p1.id, ownerId: w.plus.actor.userId, revokedAt: new Date() });
  await insertEvents(requestEvents(key, 2));
  expect(await walk((await resolveKeyEventScope(testDb(), w.plus, key.id)).scope)).toHaveLength(2);
});
