// Share links: rate limits on retrieval, and the pending-shares list.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { cancelShare } from "../../lib/shares/cancel-share";
import { getShareForRecipient } from "../../lib/shares/get-share";
import { listPendingShares } from "../../lib/shares/list-shares";
import { SHARE_IP_LIMIT, SHARE_LINK_LIMIT, consumeRateLimit } from "../../lib/shares/rate-limit";
import { retrieveShare } from "../../lib/shares/retrieve-share";
import { hashToken } from "../../lib/tokens";
import { testDb } from "./helpers";
import { setUpShareTests, otherProcess, outcome, randomIp, meta, world, share, stringify } from "./shares-fixtures";

setUpShareTests();

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
    // Refused from now on, its guesses at random tokens are not counted per link: no new rows.
    for (let i = 0; i < 5; i++) {
      const probe = randomBytes(32).toString("base64url");
      expect(await outcome(retrieveShare(testDb(), { token: probe, email: "recipient@example.com" }, meta(ip)))).toBe("429 rate_limited");
      expect(await testDb().rateLimit.count({ where: { key: `share:link:${hashToken(probe)}` } })).toBe(0);
    }
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
