import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createDb, type Db } from "../../lib/db";
import { extractLinks } from "../../lib/email/links";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { AppError } from "../../lib/errors";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { revokeKey } from "../../lib/keys/manage-keys";
import { createRegionKey } from "../../lib/keys/region-keys";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { cancelShare } from "../../lib/shares/cancel-share";
import { createShare, type CreateShareInput } from "../../lib/shares/create-share";
import { getShareForRecipient } from "../../lib/shares/get-share";
import { listPendingShares } from "../../lib/shares/list-shares";
import { SHARE_IP_LIMIT, SHARE_LINK_LIMIT, consumeRateLimit } from "../../lib/shares/rate-limit";
import { retrieveShare } from "../../lib/shares/retrieve-share";
import { hashToken } from "../../lib/tokens";
import { createOrgWith, testDb } from "./helpers";

const HOUR = 3600_000;
const PUBLIC_URL = "https://keygate.example.com";

beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));

/** Separate clients stand in for separate web processes (own pools, own connections). */
const processes: Db[] = [];
function otherProcess(): Db {
  const db = createDb(inject("databaseUrl"), 2);
  processes.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(processes.map((d) => d.$disconnect()));
});

/** What an AppError says (status + code), or the error's name for anything else. */
const outcome = (p: Promise<unknown>) =>
  p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.code}` : (e?.name ?? "error")));

/** A fresh client IP per use, so the per-IP limiter never couples tests. */
const randomIp = () => `10.${[0, 0, 0].map(() => randomBytes(1)[0]).join(".")}`;
const meta = (ip = randomIp()) => ({ ip, userAgent: "vitest-recipient/1.0" });

function captureMail(fail = false) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(email) {
      if (fail) throw new Error("mailer down");
      sent.push(email);
      return { id: String(sent.length), transport: "outbox" };
    },
  };
  return { sent, deps: { transport, publicUrl: PUBLIC_URL, defaultTtlHours: 72 } };
}

const tokenOf = (email: OutgoingEmail) => {
  const link = extractLinks(email.html, email.text).find((l) => l.startsWith(`${PUBLIC_URL}/share/`));
  if (!link) throw new Error("no share link in the email");
  return link.slice(`${PUBLIC_URL}/share/`.length);
};

async function world() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomBytes(3).toString("hex")}` } });
  const sub = (ctx: OrgContext, extra: Record<string, unknown> = {}) =>
    createSubKey(testDb(), ctx, { projectId: project.id, name: "reader", regionId: "local", permissions: ["read", "list"], ...extra });
  return { org, members, project, sub };
}

/** Shares `keyId` and returns the link token read from the captured email. */
async function share(ctx: OrgContext, keyId: string, extra: Partial<CreateShareInput> = {}) {
  const mail = captureMail();
  const created = await createShare(testDb(), ctx, { keyId, recipientEmail: "Recipient@Example.com", ...extra }, mail.deps);
  return { created, token: tokenOf(mail.sent[0]), email: mail.sent[0] };
}

const stringify = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));

describe("sharing a key", () => {
  it("emails a one-time link, never the key; stores only the token's hash; records key.shared", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const mail = captureMail();
    const created = await createShare(testDb(), w.members.ADMIN, { keyId: key.id, recipientEmail: " Ann@Example.COM ", message: "For the nightly backup job." }, mail.deps);
    expect(created.recipientEmail).toBe("ann@example.com");
    expect(created.expiresAt.getTime() - Date.now()).toBeGreaterThan(71.9 * HOUR); // 72 hours by default
    expect(created.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(72 * HOUR);

    expect(mail.sent).toHaveLength(1);
    const email = mail.sent[0];
    expect(email.to).toBe("ann@example.com");
    expect(email.tag).toBe("key-share");
    expect(email.text).toContain("For the nightly backup job.");
    expect(email.html + email.text).not.toContain(key.secret);
    const token = tokenOf(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const row = await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(stringify(row)).not.toContain(token);
    const events = await testDb().event.findMany({ where: { keyId: key.id, type: "key.shared" } });
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(w.members.ADMIN.actor.userId);
    expect(events[0].data).toMatchObject({ shareId: row.id, recipientEmail: "ann@example.com", expiresAt: row.expiresAt.toISOString() });
    expect(stringify(events)).not.toContain(token);
    expect(stringify(events)).not.toContain(key.secret);
  });

  it("refuses master keys", async () => {
    const w = await world();
    const master = await createMasterKey(testDb(), w.members.ADMIN, { projectId: w.project.id, name: "ci", regionId: "local" });
    const mail = captureMail();
    expect(await outcome(createShare(testDb(), w.members.ADMIN, { keyId: master.id, recipientEmail: "a@example.com" }, mail.deps))).toBe("403 not_shareable");
    expect(mail.sent).toHaveLength(0);
    expect(await testDb().shareLink.count({ where: { keyId: master.id } })).toBe(0);
    expect(await testDb().event.count({ where: { keyId: master.id, type: "key.shared" } })).toBe(0);
  });

  it("refuses MEMBERs; MEMBER_PLUS shares only the keys they manage (own sub keys and region pairs)", async () => {
    const w = await world();
    const adminKey = await w.sub(w.members.ADMIN);
    const plusKey = await w.sub(w.members.MEMBER_PLUS, { name: "plus-reader" }); // key names are unique per project
    const plusPair = await createRegionKey(testDb(), w.members.MEMBER_PLUS, w.project.id, "local");
    const mail = captureMail();
    const input = (keyId: string) => ({ keyId, recipientEmail: "a@example.com" });
    expect(await outcome(createShare(testDb(), w.members.MEMBER, input(adminKey.id), mail.deps))).toBe("403 forbidden");
    expect(await outcome(createShare(testDb(), w.members.MEMBER, input(plusKey.id), mail.deps))).toBe("403 forbidden");
    expect(await outcome(createShare(testDb(), w.members.MEMBER_PLUS, input(adminKey.id), mail.deps))).toBe("404 not_found");
    expect(await outcome(createShare(testDb(), w.members.MEMBER_PLUS, input(plusKey.id), mail.deps))).toBe("ok");
    expect(await outcome(createShare(testDb(), w.members.MEMBER_PLUS, input(plusPair.id), mail.deps))).toBe("ok");
    expect(await outcome(createShare(testDb(), w.members.ADMIN, input(plusPair.id), mail.deps))).toBe("ok");
    const other = await world();
    expect(await outcome(createShare(testDb(), other.members.ADMIN, input(adminKey.id), mail.deps))).toBe("404 not_found");
    expect(mail.sent).toHaveLength(3);
  });

  it("validates the input and refuses keys that no longer work", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { deps } = captureMail();
    const fields = (input: Partial<CreateShareInput>) =>
      createShare(testDb(), w.members.ADMIN, { keyId: key.id, recipientEmail: "a@example.com", ...input }, deps)
        .then(() => [], (e) => (e.issues as { path: string[] }[]).map((i) => i.path.join(".")));
    expect(await fields({ recipientEmail: "not-an-email" })).toEqual(["recipientEmail"]);
    expect(await fields({ message: "x".repeat(1001) })).toEqual(["message"]);
    expect(await fields({ message: "x".repeat(1000) })).toEqual([]);
    expect(await fields({ ttlHours: 0 })).toEqual(["ttlHours"]);
    expect(await fields({ ttlHours: 721 })).toEqual(["ttlHours"]);
    expect(await fields({ ttlHours: "1.5" })).toEqual(["ttlHours"]);
    await revokeKey(testDb(), w.members.ADMIN, key.id);
    expect(await outcome(createShare(testDb(), w.members.ADMIN, { keyId: key.id, recipientEmail: "a@example.com" }, deps))).toBe("409 key_not_active");
  });

  it("takes the link lifetime per share, never beyond the key's own expiry", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN, { expiry: "7d" });
    const short = await share(w.members.ADMIN, key.id, { ttlHours: "5" });
    expect(Math.abs(short.created.expiresAt.getTime() - (Date.now() + 5 * HOUR))).toBeLessThan(60_000);
    const long = await share(w.members.ADMIN, key.id, { ttlHours: 720 });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(long.created.expiresAt.getTime()).toBe(row.expiresAt!.getTime());
  });

  it("withdraws the link when the email cannot be sent", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { deps } = captureMail(true);
    await expect(createShare(testDb(), w.members.ADMIN, { keyId: key.id, recipientEmail: "a@example.com" }, deps)).rejects.toThrow("mailer down");
    expect(await listPendingShares(testDb(), w.members.ADMIN, key.id)).toEqual([]);
    const row = await testDb().shareLink.findFirstOrThrow({ where: { keyId: key.id } });
    expect(row.cancelledAt).not.toBeNull();
    const types = (await testDb().event.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["key.created", "key.shared", "key.share_cancelled"]);
  });
});

describe("retrieving a shared key", () => {
  it("shows the welcome details, then reveals the secret once to the confirmed address", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN, { permissions: ["read", "list", "write", "delete"], prefix: "backups/" });
    const { token, created } = await share(w.members.ADMIN, key.id, { message: "hello" });

    const welcome = await getShareForRecipient(testDb(), token);
    expect(welcome.state).toBe("ready");
    if (welcome.state !== "ready") return;
    expect(welcome.share).toMatchObject({
      sharerName: "ADMIN", message: "hello", keyName: "reader", kind: "SUB", projectName: w.project.name, regionId: "local",
      endpoint: "http://localhost:9000", permissions: "Object Read & Write", buckets: null, prefix: "backups/",
    });
    expect(stringify(welcome)).not.toContain(key.secret);
    expect(stringify(welcome)).not.toContain(key.accessKeyId);

    expect(await outcome(retrieveShare(testDb(), { token, email: "someone-else@example.com" }, meta()))).toBe("403 wrong_email");
    expect((await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } })).usedAt).toBeNull();

    const revealed = await retrieveShare(testDb(), { token, email: "  RECIPIENT@example.com" }, meta("10.1.2.3"));
    expect(revealed).toEqual({ name: "reader", accessKeyId: key.accessKeyId, secret: key.secret, regionId: "local", endpoint: "http://localhost:9000", projectName: w.project.name });

    const row = await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.usedAt).not.toBeNull();
    expect(row.usedIp).toBe("10.1.2.3");
    const event = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.share_retrieved" } });
    expect(event).toMatchObject({ actorId: null, ip: "10.1.2.3", userAgent: "vitest-recipient/1.0", data: { shareId: created.id, recipientEmail: "recipient@example.com" } });
    expect(stringify(await testDb().event.findMany({ where: { keyId: key.id } }))).not.toContain(key.secret);

    expect(await outcome(retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta()))).toBe("410 used");
    expect((await getShareForRecipient(testDb(), token)).state).toBe("used");
  });

  it("reveals region key pairs too, with the owner's permissions", async () => {
    const w = await world();
    const pair = await createRegionKey(testDb(), w.members.MEMBER_PLUS, w.project.id, "local");
    const { token } = await share(w.members.MEMBER_PLUS, pair.id);
    const welcome = await getShareForRecipient(testDb(), token);
    expect(welcome).toMatchObject({ state: "ready", share: { kind: "USER", buckets: null } });
    const revealed = await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta());
    expect(revealed.secret).toBe(pair.secret);
  });

  it("an expired link reveals nothing", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { token, created } = await share(w.members.ADMIN, key.id, { ttlHours: 1 });
    await testDb().shareLink.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getShareForRecipient(testDb(), token)).state).toBe("expired");
    expect(await outcome(retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta()))).toBe("410 expired");
    expect((await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } })).usedAt).toBeNull();
    expect(await listPendingShares(testDb(), w.members.ADMIN, key.id)).toEqual([]);
  });

  it("a revoked or expired key and an unknown link each say which, and reveal nothing", async () => {
    const w = await world();
    const revoked = await w.sub(w.members.ADMIN);
    const expired = await w.sub(w.members.ADMIN, { name: "expired-reader" }); // key names are unique per project
    const a = await share(w.members.ADMIN, revoked.id);
    const b = await share(w.members.ADMIN, expired.id);
    await revokeKey(testDb(), w.members.ADMIN, revoked.id);
    await testDb().accessKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getShareForRecipient(testDb(), a.token)).state).toBe("key_revoked");
    expect((await getShareForRecipient(testDb(), b.token)).state).toBe("key_expired");
    expect(await outcome(retrieveShare(testDb(), { token: a.token, email: "recipient@example.com" }, meta()))).toBe("410 key_revoked");
    expect(await outcome(retrieveShare(testDb(), { token: b.token, email: "recipient@example.com" }, meta()))).toBe("410 key_expired");
    const unknown = randomBytes(32).toString("base64url");
    expect((await getShareForRecipient(testDb(), unknown)).state).toBe("unknown");
    expect((await getShareForRecipient(testDb(), "../../etc")).state).toBe("unknown");
    expect(await outcome(retrieveShare(testDb(), { token: unknown, email: "recipient@example.com" }, meta()))).toBe("404 unknown");
    expect(await testDb().event.count({ where: { keyId: { in: [revoked.id, expired.id] }, type: "key.share_retrieved" } })).toBe(0);
  });

  it("a disabled key's link cannot be revealed and stays unused; once enabled it works", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { token, created } = await share(w.members.ADMIN, key.id);
    await setKeyDisabled(testDb(), w.members.ADMIN, key.id, true);
    expect((await getShareForRecipient(testDb(), token)).state).toBe("key_disabled");
    expect(await outcome(retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta()))).toBe("410 key_disabled");
    expect((await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } })).usedAt).toBeNull();
    expect(await outcome(createShare(testDb(), w.members.ADMIN, { keyId: key.id, recipientEmail: "b@example.com" }, captureMail().deps))).toBe("409 key_not_active");
    await setKeyDisabled(testDb(), w.members.ADMIN, key.id, false);
    expect((await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta())).accessKeyId).toBe(key.accessKeyId);
  });

  it("works once under simultaneous retrievals from separate processes: exactly one wins", async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { token, created } = await share(w.members.ADMIN, key.id);
    const racers = [otherProcess(), otherProcess()];
    const results = await Promise.allSettled(racers.map((db) => retrieveShare(db, { token, email: "recipient@example.com" }, meta())));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ secret: string }>).value.secret).toBe(key.secret);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(AppError);
    expect((lost[0].reason as AppError).code).toBe("used");
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.share_retrieved" } })).toBe(1);
    expect((await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } })).usedAt).not.toBeNull();
  });
});

describe("rate limiting", () => {
  it(`allows ${SHARE_LINK_LIMIT.limit} attempts per link, wrong addresses included, then 429 until the window ends`, async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { token, created } = await share(w.members.ADMIN, key.id);
    for (let i = 0; i < SHARE_LINK_LIMIT.limit; i++) {
      // A different IP each time: the per-link limit holds however the guesses are spread.
      expect(await outcome(retrieveShare(testDb(), { token, email: `guess${i}@example.com` }, meta()))).toBe("403 wrong_email");
    }
    const limited = await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta()).catch((e) => e);
    expect(limited).toBeInstanceOf(AppError);
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/Too many attempts for this link/);
    expect((await testDb().shareLink.findUniqueOrThrow({ where: { id: created.id } })).usedAt).toBeNull();

    // The window ends (moved into the past here): the recipient gets in.
    await testDb().rateLimit.update({ where: { key: `share:link:${hashToken(token)}` }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect((await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta())).secret).toBe(key.secret);
  });

  it(`allows ${SHARE_IP_LIMIT.limit} attempts per IP across links, then 429 even for a valid link`, async () => {
    const w = await world();
    const key = await w.sub(w.members.ADMIN);
    const { token } = await share(w.members.ADMIN, key.id);
    const ip = randomIp();
    for (let i = 0; i < SHARE_IP_LIMIT.limit; i++) {
      const probe = randomBytes(32).toString("base64url");
      expect(await outcome(retrieveShare(testDb(), { token: probe, email: "recipient@example.com" }, meta(ip)))).toBe("404 unknown");
    }
    const limited = await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta(ip)).catch((e) => e);
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/Too many attempts from your network/);
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.share_retrieved" } })).toBe(0);
    // Another client is not affected.
    expect((await retrieveShare(testDb(), { token, email: "recipient@example.com" }, meta())).secret).toBe(key.secret);
  });

  it("counts atomically under concurrency and restarts after the window", async () => {
    const name = `test:${randomBytes(6).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => consumeRateLimit(i % 2 ? otherProcess() : testDb(), name, 10, 60_000)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    await testDb().rateLimit.update({ where: { key: name }, data: { resetAt: new Date(Date.now() - 1) } });
    expect(await consumeRateLimit(testDb(), name, 10, 60_000)).toMatchObject({ allowed: true, count: 1 });
  });
});

describe("pending shares", () => {
  it("lists pending links to whoever manages the key, and cancelling makes a link reveal nothing", async () => {
    const w = await world();
    const key = await w.sub(w.members.MEMBER_PLUS);
    const first = await share(w.members.MEMBER_PLUS, key.id, { recipientEmail: "one@example.com" });
    const second = await share(w.members.ADMIN, key.id, { recipientEmail: "two@example.com" });

    const pending = await listPendingShares(testDb(), w.members.MEMBER_PLUS, key.id);
    expect(pending.map((s) => [s.recipientEmail, s.sharedBy])).toEqual([["two@example.com", "ADMIN"], ["one@example.com", "MEMBER_PLUS"]]);
    expect(stringify(pending)).not.toContain(first.token);
    expect(await outcome(listPendingShares(testDb(), w.members.MEMBER, key.id))).toBe("403 forbidden");
    const other = await world();
    expect(await outcome(listPendingShares(testDb(), other.members.ADMIN, key.id))).toBe("404 not_found");
    expect(await outcome(cancelShare(testDb(), other.members.ADMIN, first.created.id))).toBe("404 not_found");
    expect(await outcome(cancelShare(testDb(), w.members.MEMBER, first.created.id))).toBe("403 forbidden");

    await cancelShare(testDb(), w.members.MEMBER_PLUS, first.created.id);
    await cancelShare(testDb(), w.members.MEMBER_PLUS, first.created.id); // twice is harmless
    expect((await listPendingShares(testDb(), w.members.ADMIN, key.id)).map((s) => s.id)).toEqual([second.created.id]);
    expect((await getShareForRecipient(testDb(), first.token)).state).toBe("cancelled");
    expect(await outcome(retrieveShare(testDb(), { token: first.token, email: "one@example.com" }, meta()))).toBe("410 cancelled");

    const cancelled = await testDb().event.findMany({ where: { keyId: key.id, type: "key.share_cancelled" } });
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ actorId: w.members.MEMBER_PLUS.actor.userId, data: { shareId: first.created.id, recipientEmail: "one@example.com" } });

    await retrieveShare(testDb(), { token: second.token, email: "two@example.com" }, meta());
    expect(await outcome(cancelShare(testDb(), w.members.ADMIN, second.created.id))).toBe("409 share_used");
    expect(await listPendingShares(testDb(), w.members.ADMIN, key.id)).toEqual([]);
  });

  it("a MEMBER_PLUS cannot see or cancel shares of keys they do not manage", async () => {
    const w = await world();
    const adminKey = await w.sub(w.members.ADMIN);
    const s = await share(w.members.ADMIN, adminKey.id);
    expect(await outcome(listPendingShares(testDb(), w.members.MEMBER_PLUS, adminKey.id))).toBe("404 not_found");
    expect(await outcome(cancelShare(testDb(), w.members.MEMBER_PLUS, s.created.id))).toBe("404 not_found");
    expect(await outcome(cancelShare(testDb(), w.members.ADMIN, "no-such-share"))).toBe("404 not_found");
  });
});
