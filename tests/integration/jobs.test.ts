import { inject, describe, expect, it, afterAll } from "vitest";
import { createDb, type Db } from "../../lib/db";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { purgeOldEvents } from "../../lib/events/retention";
import { expireKeys } from "../../lib/jobs/expire-keys";
import { sendExpiryReminders } from "../../lib/jobs/expiry-reminders";
import { type JobDeps, runJobsLocked, runJobsOnce, startJobs } from "../../lib/jobs/run-jobs";
import { DAY, createProject, eventWorld, insertEvents, insertKey, requestEvents } from "./events-fixtures";
import { createOrgWith, createUser, testDb } from "./helpers";

/** Separate clients stand in for separate processes (own pools, own connections). */
const runners: Db[] = [];
function runner(): Db {
  const db = createDb(inject("databaseUrl"), 4);
  runners.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(runners.map((d) => d.$disconnect()));
});

function captureTransport(fail?: (email: OutgoingEmail) => boolean) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(email) {
      await new Promise((r) => setTimeout(r, 5)); // let racing runners interleave
      if (fail?.(email)) throw new Error("mailer down");
      sent.push(email);
      return { id: String(sent.length), transport: "outbox" };
    },
  };
  return { sent, transport };
}

const PUBLIC_URL = "https://keygate.example.com";
const quiet = () => {};

describe("retention", () => {
  it("purges exactly the events older than the retention period, in bounded batches", async () => {
    const w = await eventWorld();
    const now = new Date();
    const cutoff = now.getTime() - 183 * DAY;
    // Old and recent events interleaved in id order, and both sides of the cutoff by one second.
    await insertEvents(requestEvents(w.plusSub, 20, {}, new Date(cutoff - 5 * DAY)));
    await insertEvents(requestEvents(w.plusSub, 10, {}, now));
    await insertEvents(requestEvents(w.plusSub, 17, {}, new Date(cutoff - 1000)));
    await insertEvents(requestEvents(w.plusSub, 1, {}, new Date(cutoff + 2000)));
    await insertEvents(requestEvents(w.plusSub, 5, {}, new Date(cutoff + 30 * DAY)));
    const oldCount = await testDb().event.count({ where: { at: { lt: new Date(cutoff) } } });
    const newIds = (await testDb().event.findMany({ where: { at: { gte: new Date(cutoff) } }, select: { id: true } })).map((e) => e.id);
    expect(oldCount).toBeGreaterThanOrEqual(37);

    const lines: string[] = [];
    const purged = await purgeOldEvents(testDb(), { retentionDays: 183, batchSize: 7, now, log: (l) => lines.push(l) });
    expect(purged).toBe(oldCount);
    expect(await testDb().event.count({ where: { at: { lt: new Date(cutoff) } } })).toBe(0);
    const remaining = (await testDb().event.findMany({ where: { at: { gte: new Date(cutoff) } }, select: { id: true } })).map((e) => e.id);
    expect(remaining).toEqual(newIds);
    expect(await testDb().event.count({ where: { keyId: w.plusSub.id } })).toBe(16);
    expect(lines).toEqual([expect.stringMatching(/^\[retention\] purged \d+ events older than .* \(183 days\)/)]);
    expect(await purgeOldEvents(testDb(), { retentionDays: 183, now, log: quiet })).toBe(0);
  });
});

describe("key.expired", () => {
  it("is written exactly once per expired key, even with runners racing", async () => {
    const w = await eventWorld();
    const now = new Date();
    const mk = (expiresAt: Date | null, revokedAt: Date | null = null) =>
      insertKey({ orgId: w.org.id, projectId: w.p1.id, ownerId: w.plus.actor.userId, expiresAt, revokedAt });
    const expired = await Promise.all(Array.from({ length: 12 }, (_, i) => mk(new Date(now.getTime() - (i + 1) * 60_000))));
    const revoked = await mk(new Date(now.getTime() - DAY), new Date(now.getTime() - 2 * DAY));
    const future = await mk(new Date(now.getTime() + DAY));
    const never = await mk(null);

    const counts = await Promise.all([runner(), runner(), runner(), testDb()].map((db) => expireKeys(db, now, 3)));
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
    const ids = [...expired, revoked, future, never].map((k) => k.id);
    const events = await testDb().event.findMany({ where: { keyId: { in: ids }, type: "key.expired" } });
    expect(events.map((e) => e.keyId).sort()).toEqual(expired.map((k) => k.id).sort());
    expect(events.every((e) => e.orgId === w.org.id && e.projectId === w.p1.id && e.actorId === null)).toBe(true);

    await expireKeys(testDb(), new Date(now.getTime() + 1000));
    expect(await testDb().event.count({ where: { keyId: { in: ids }, type: "key.expired" } })).toBe(12);
    await expireKeys(testDb(), new Date(now.getTime() + 2 * DAY)); // the future key expires later, once
    expect(await testDb().event.count({ where: { keyId: future.id, type: "key.expired" } })).toBe(1);
  });
});

describe("expiry reminders", () => {
  async function reminderWorld() {
    const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
    const project = await createProject(org.id, "reminders");
    const now = new Date();
    const longAgo = new Date(now.getTime() - 60 * DAY);
    const admin = members.ADMIN.actor;
    const plus = members.MEMBER_PLUS.actor;
    const key = (name: string, inDays: number, extra: { ownerId?: string; createdById?: string; createdAt?: Date } = {}) =>
      insertKey({ orgId: org.id, projectId: project.id, name, ownerId: extra.ownerId ?? plus.userId, createdById: extra.createdById,
        expiresAt: new Date(now.getTime() + inDays * DAY), createdAt: extra.createdAt ?? longAgo });
    const former = await createUser("Former");
    const keys = {
      sixDays: await key("six-days", 6, { createdById: admin.userId }), // owner + creator: two emails
      halfDay: await key("half-day", 0.5), // owner is the creator: one email
      thirtyDays: await key("thirty-days", 30),
      freshWeek: await key("fresh-week", 6.9, { createdAt: new Date(now.getTime() - 60_000) }), // created with the 7-day preset
      formerOwner: await key("former-owner", 3, { ownerId: former.userId, createdById: admin.userId }), // owner left: creator only
    };
    return { org, now, admin, plus, keys };
  }

  it("sends each reminder once to owner and creator, with a link to the key, even when runners race", async () => {
    const r = await reminderWorld();
    const { sent, transport } = captureTransport();
    const deps = { transport, publicUrl: PUBLIC_URL, log: quiet };
    await Promise.all([runner(), runner(), runner(), testDb()].map((db) => sendExpiryReminders(db, deps, r.now, 1)));
    const mine = sent.filter((e) => e.html.includes(`/orgs/${r.org.id}/keys/`));
    expect(mine.map((e) => `${e.to} ${e.subject}`).sort()).toEqual([
      `${r.admin.email} Access key "former-owner" expires in 3 days`,
      `${r.admin.email} Access key "six-days" expires in 6 days`,
      `${r.plus.email} Access key "half-day" expires tomorrow`,
      `${r.plus.email} Access key "six-days" expires in 6 days`,
    ].sort());
    const six = mine.find((e) => e.subject.includes("six-days"))!;
    expect(six.text).toContain(`${PUBLIC_URL}/orgs/${r.org.id}/keys/${r.keys.sixDays.id}`);
    expect(six.tag).toBe("expiry-reminder");

    const at = async (offsetMs: number) => {
      const c = captureTransport();
      await Promise.all([runner(), testDb()].map((db) => sendExpiryReminders(db, { ...deps, transport: c.transport }, new Date(r.now.getTime() + offsetMs))));
      return c.sent.filter((e) => e.html.includes(`/orgs/${r.org.id}/keys/`)).map((e) => `${e.to} ${e.subject}`).sort();
    };
    expect(await at(60_000)).toEqual([]); // nothing twice
    // 5.5 days on, six-days enters its last day; fresh-week (created with a 7-day expiry) got no 7-day reminder.
    expect(await at(5.5 * DAY)).toEqual([
      `${r.admin.email} Access key "six-days" expires tomorrow`,
      `${r.plus.email} Access key "six-days" expires tomorrow`,
    ]);
    expect(await at(6.5 * DAY)).toEqual([`${r.plus.email} Access key "fresh-week" expires tomorrow`]);
    expect(await at(6.6 * DAY)).toEqual([]);
  });

  it("releases the claim when no email could be sent, so a later run retries", async () => {
    const r = await reminderWorld();
    const broken = captureTransport(() => true);
    await sendExpiryReminders(testDb(), { transport: broken.transport, publicUrl: PUBLIC_URL, log: quiet }, r.now);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: r.keys.halfDay.id } });
    expect(row.reminder1SentAt).toBeNull();
    const ok = captureTransport();
    await sendExpiryReminders(testDb(), { transport: ok.transport, publicUrl: PUBLIC_URL, log: quiet }, r.now);
    expect(ok.sent.filter((e) => e.subject.includes("half-day") && e.html.includes(r.org.id))).toHaveLength(1);
  });
});

describe("rate-limit counters", () => {
  it("are deleted once their window has ended; running windows are kept with their counts", async () => {
    const tag = `jobs-test:${Math.random().toString(36).slice(2)}`;
    const now = new Date();
    await testDb().rateLimit.createMany({ data: [
      { key: `${tag}:ended`, count: 9, resetAt: new Date(now.getTime() - 1000) },
      { key: `${tag}:ends-now`, count: 1, resetAt: now },
      { key: `${tag}:running`, count: 3, resetAt: new Date(now.getTime() + 60_000) },
    ] });
    const result = await runJobsOnce(testDb(), now, { transport: captureTransport().transport, publicUrl: PUBLIC_URL, retentionDays: 183, log: quiet });
    expect(result.rateLimitsPurged).toBeGreaterThanOrEqual(2);
    const left = await testDb().rateLimit.findMany({ where: { key: { startsWith: tag } } });
    expect(left.map((r) => [r.key, r.count])).toEqual([[`${tag}:running`, 3]]);
  });
});

describe("the scheduler", () => {
  it("runs all jobs once; a second process holding the lock makes a round skip", async () => {
    const w = await eventWorld();
    const now = new Date();
    const key = await insertKey({ orgId: w.org.id, projectId: w.p1.id, ownerId: w.plus.actor.userId, expiresAt: new Date(now.getTime() - 1000) });
    await insertEvents(requestEvents(key, 3, {}, new Date(now.getTime() - 400 * DAY)));
    const { transport } = captureTransport();
    const deps: JobDeps = { transport, publicUrl: PUBLIC_URL, retentionDays: 183, log: quiet };

    // Another "process" holds the jobs lock: this round is skipped and changes nothing.
    const other = runner();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = other.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${0x6b676a6f6273n})`;
      locked();
      await held;
    }, { timeout: 30_000 });
    await isLocked;
    expect(await runJobsLocked(testDb(), now, deps)).toBeNull();
    expect(await testDb().event.count({ where: { keyId: key.id } })).toBe(3);
    release();
    await holder;

    const result = await runJobsLocked(testDb(), now, deps);
    expect(result).toMatchObject({ expired: expect.any(Number), purged: expect.any(Number) });
    expect(result!.expired).toBeGreaterThanOrEqual(1);
    expect((await testDb().event.findMany({ where: { keyId: key.id } })).map((e) => e.type)).toEqual(["key.expired"]);
    expect(await runJobsOnce(testDb(), now, deps)).toMatchObject({ expired: 0, purged: 0 });
  });

  it("startJobs runs rounds periodically until stopped", async () => {
    const w = await eventWorld();
    const key = await insertKey({ orgId: w.org.id, projectId: w.p1.id, ownerId: w.plus.actor.userId, expiresAt: new Date(Date.now() - 1000) });
    const { transport } = captureTransport();
    const handle = startJobs({ db: testDb(), intervalMs: 50, deps: { transport, publicUrl: PUBLIC_URL, retentionDays: 183, log: quiet }, unref: true });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await testDb().event.count({ where: { keyId: key.id, type: "key.expired" } })) === 0) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await handle.stop();
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.expired" } })).toBe(1);
  });
});
