// The gateway's event writer against the real database: events are stored escaped and
// capped, a row PostgreSQL refuses is isolated and dropped (counted) while the rest of its
// batch is written, and "last used" moves to each key's latest request.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { EventWriter, type RequestEvent } from "../../gateway/event-writer";
import { createMasterKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { freezableProxy } from "./freezable-proxy";
import { createOrgWith, testDb } from "./helpers";

async function seedKey() {
  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
  const { org, members } = await createOrgWith(["ADMIN"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "ew" } });
  const key = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "ew", regionId: "local" });
  const row = await testDb().accessKey.findUniqueOrThrow({ where: { accessKeyId: key.accessKeyId } });
  return { orgId: org.id, projectId: project.id, keyId: row.id, accessKeyId: key.accessKeyId };
}

function event(k: Awaited<ReturnType<typeof seedKey>>, requestId: string, patch: Partial<RequestEvent> = {}): RequestEvent {
  return {
    at: new Date(), ...k, outcome: "allowed", operation: "GetObject", bucket: "b", objectKey: "k", status: 200, errorCode: null,
    bytesIn: 0, bytesOut: 10, durationMs: 1.4, ip: "127.0.0.1", userAgent: "ua", requestId, ...patch,
  };
}

describe("EventWriter", () => {
  it("stores NUL, lone surrogates and long values escaped and capped", async () => {
    const k = await seedKey();
    const writer = new EventWriter(inject("databaseUrl"));
    const id = randomBytes(6).toString("hex");
    writer.record(event(k, id, { objectKey: "a\u0000b\ud800c😀", userAgent: "u".repeat(5000), bucket: "x\u0000" }));
    await writer.stop();
    const row = await testDb().event.findFirstOrThrow({ where: { requestId: id } });
    expect(row.objectKey).toBe("a\\u0000b\\ud800c😀");
    expect(row.bucket).toBe("x\\u0000");
    expect(row.userAgent).toHaveLength(512);
    expect(row.type).toBe("key.request");
    expect(row.bytesOut).toBe(10n);
    expect(Math.abs(row.at.getTime() - Date.now())).toBeLessThan(60_000); // stored as UTC, read back as the same instant
  });

  it("isolates and drops the rows PostgreSQL refuses, writes the rest, and counts the drop", async () => {
    const k = await seedKey();
    let refused = 0;
    const writer = new EventWriter(inject("databaseUrl"), { onRefused: (n) => (refused += n) });
    const prefix = randomBytes(4).toString("hex");
    for (let i = 0; i < 20; i++) {
      // status is an int4 column: 2^31 is refused by PostgreSQL (22003), not by the writer.
      writer.record(event(k, `${prefix}-${i}`, i === 7 || i === 13 ? { status: 2 ** 31 } : {}));
    }
    await writer.flush();
    const stored = await testDb().event.count({ where: { requestId: { startsWith: prefix } } });
    expect(stored).toBe(18);
    expect(refused).toBe(2);
    expect(writer.refused).toBe(2);
    // Nothing was requeued: the next batch is written on its own.
    writer.record(event(k, `${prefix}-after`));
    await writer.stop();
    expect(await testDb().event.count({ where: { requestId: `${prefix}-after` } })).toBe(1);
  });

  it("moves last used to each key's latest request, never backwards", async () => {
    const [a, b] = [await seedKey(), await seedKey()];
    const writer = new EventWriter(inject("databaseUrl"));
    const t = Date.now();
    writer.record(event(a, "la1", { at: new Date(t - 5000), operation: "PutObject", ip: "10.0.0.1" }));
    writer.record(event(a, "la2", { at: new Date(t - 1000), operation: "GetObject", ip: "10.0.0.2" }));
    writer.record(event(a, "la3", { at: new Date(t - 3000), operation: "HeadObject", ip: "10.0.0.3" }));
    writer.record(event(b, "lb1", { at: new Date(t - 2000), operation: "ListBuckets", ip: null }));
    // Refused requests are events, but "last used" means authenticated and allowed.
    writer.record(event(b, "lb2", { at: new Date(t - 500), operation: "DeleteObject", ip: "10.9.9.9", outcome: "denied", status: 403 }));
    await writer.flush();
    writer.record(event(a, "la4", { at: new Date(t - 9000), operation: "DeleteObject" })); // older: ignored
    await writer.stop();
    const ka = await testDb().accessKey.findUniqueOrThrow({ where: { id: a.keyId } });
    const kb = await testDb().accessKey.findUniqueOrThrow({ where: { id: b.keyId } });
    expect([ka.lastUsedAt?.getTime(), ka.lastUsedOp, ka.lastUsedIp]).toEqual([t - 1000, "GetObject", "10.0.0.2"]);
    expect([kb.lastUsedAt?.getTime(), kb.lastUsedOp, kb.lastUsedIp]).toEqual([t - 2000, "ListBuckets", null]);
  });

  it("keeps the batch while PostgreSQL is unreachable, bounded by maxBuffered", async () => {
    let dropped = 0;
    const writer = new EventWriter("postgresql://x@127.0.0.1:1/x", { maxBuffered: 3, onDrop: (n) => (dropped += n) });
    const k = { orgId: "o", projectId: "p", keyId: "k", accessKeyId: "a" };
    for (let i = 0; i < 5; i++) writer.record(event(k, `dead-${i}`));
    expect(dropped).toBe(2);
    await writer.flush();
    expect(writer.dropped).toBe(2);
    await writer.stop();
  });

  it("a frozen PostgreSQL fails a flush within the timeouts (the batch is kept) instead of stalling it", async () => {
    const k = await seedKey();
    const proxy = await freezableProxy(inject("databaseUrl"));
    const writer = new EventWriter(proxy.url, { timeouts: { connectMs: 1000, poolWaitMs: 5000, statementMs: 1000 } });
    const prefix = randomBytes(4).toString("hex");
    try {
      writer.record(event(k, `${prefix}-before`));
      await writer.flush(); // the pool now holds an open connection
      proxy.freeze();
      writer.record(event(k, `${prefix}-frozen`));
      const started = Date.now();
      await writer.flush();
      expect(Date.now() - started).toBeLessThan(3000); // statement limit + 0.5 s, then give up
      // The timed-out connection was dropped; a new one waits for its greeting at most connectMs.
      const again = Date.now();
      await writer.flush();
      expect(Date.now() - again).toBeLessThan(3000);
      expect(await testDb().event.count({ where: { requestId: `${prefix}-frozen` } })).toBe(0);
    } finally {
      proxy.thaw();
    }
    await writer.stop(); // the kept batch is written once PostgreSQL answers
    expect(await testDb().event.count({ where: { requestId: `${prefix}-frozen` } })).toBe(1);
    expect(writer.dropped).toBe(0);
    await proxy.close();
  }, 20_000);

  it("an INSERT whose answer was lost is not stored twice when its batch is written again", async () => {
    const k = await seedKey();
    const proxy = await freezableProxy(inject("databaseUrl"));
    const writer = new EventWriter(proxy.url, { timeouts: { connectMs: 1000, poolWaitMs: 5000, statementMs: 500 } });
    const prefix = randomBytes(4).toString("hex");
    const count = (suffix: string) => testDb().event.count({ where: { requestId: { startsWith: `${prefix}-${suffix}` } } });
    writer.record(event(k, `${prefix}-warm`));
    await writer.flush();
    proxy.freeze("replies"); // PostgreSQL stores the batch; its answer never arrives
    for (let i = 0; i < 3; i++) writer.record(event(k, `${prefix}-lost-${i}`));
    await writer.flush();
    expect(await count("lost")).toBe(3); // stored, though the writer could not know
    proxy.thaw();
    for (let i = 0; i < 2; i++) writer.record(event(k, `${prefix}-next-${i}`)); // the same batch as the unsure ones
    await writer.stop();
    expect(await count("lost")).toBe(3);
    expect(await count("next")).toBe(2);
    await proxy.close();
  }, 20_000);
});
