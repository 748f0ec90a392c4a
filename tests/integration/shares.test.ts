// Sharing a key by email and retrieving it once through the link.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { createMasterKey } from "../../lib/keys/create-keys";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { revokeKey } from "../../lib/keys/manage-keys";
import { createRegionKey } from "../../lib/keys/region-keys";
import { createShare, type CreateShareInput } from "../../lib/shares/create-share";
import { getShareForRecipient } from "../../lib/shares/get-share";
import { listPendingShares } from "../../lib/shares/list-shares";
import { retrieveShare } from "../../lib/shares/retrieve-share";
import { hashToken } from "../../lib/tokens";
import { testDb } from "./helpers";
import { HOUR, setUpShareTests, otherProcess, outcome, meta, captureMail, tokenOf, world, share, stringify } from "./shares-fixtures";

setUpShareTests();

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
