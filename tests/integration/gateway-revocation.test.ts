// Revocation under load: clients hammer a key in parallel while an admin revokes it. The
// promise: no request that starts after the revocation has committed succeeds, and the gateway
// refuses within milliseconds (LISTEN/NOTIFY). The measured latency is printed for the record.
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KeyStore } from "../../gateway/key-store";
import type { Db } from "../../lib/db";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });

type Sample = { start: number; end: number; ok: boolean; code: string };

describe("revocation under load", () => {
  it("refuses the key within milliseconds of the revoke, and nothing succeeds after the first refusal", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["load"]);
    const master = s3(gw, await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" }));
    await master.send(new PutObjectCommand({ Bucket: buckets[0], Key: "small.txt", Body: "tiny object" }));
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "victim", regionId: "local", permissions: ["read"] });

    const WORKERS = 16;
    const samples: Sample[] = [];
    let stopAt = Infinity;
    const worker = async () => {
      const client = s3(gw, key);
      while (performance.now() < stopAt) {
        const start = performance.now();
        try {
          const r = await client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "small.txt" }));
          await r.Body!.transformToString();
          samples.push({ start, end: performance.now(), ok: true, code: "OK" });
        } catch (e) {
          samples.push({ start, end: performance.now(), ok: false, code: (e as Error).name });
        }
      }
      client.destroy();
    };
    // The gateway's side: when it answered each request of this key (events are recorded as the response closes).
    const served: { at: number; denied: boolean }[] = [];
    const record = gw.events.record.bind(gw.events);
    gw.events.record = (e) => {
      if (e.keyId === key.id) served.push({ at: performance.now(), denied: e.outcome === "denied" });
      record(e);
    };
    let revokeStarted = 0;
    let committed = 0;
    let invalidatedAt = NaN; // when the gateway's key store processed the revocation's NOTIFY (not the creation's)
    const invalidate = gw.keys.invalidate.bind(gw.keys);
    gw.keys.invalidate = (payload) => {
      if (payload === key.accessKeyId && revokeStarted > 0 && Number.isNaN(invalidatedAt)) invalidatedAt = performance.now();
      invalidate(payload);
    };
    const running = Array.from({ length: WORKERS }, worker);

    try {
      // Warm: the key is cached and load is steady. Counted in requests, not milliseconds, so a
      // slow (shared, loaded) machine still gets a meaningful "before" sample.
      await until(() => samples.filter((s) => s.ok).length > 2 * WORKERS, 20_000);
      revokeStarted = performance.now();
      await revokeKey(testDb(), admin, key.id);
      committed = performance.now(); // the COMMIT has been acknowledged by PostgreSQL
      await until(() => samples.filter((s) => s.start >= committed).length > 2 * WORKERS, 20_000);
    } finally {
      stopAt = performance.now();
      await Promise.all(running);
      gw.events.record = record;
      gw.keys.invalidate = invalidate;
    }

    const before = samples.filter((s) => s.end < revokeStarted);
    const after = samples.filter((s) => s.start >= committed);
    const firstRefusal = Math.min(...samples.filter((s) => !s.ok).map((s) => s.end));
    const firstServerRefusal = Math.min(...served.filter((s) => s.denied).map((s) => s.at));
    const lastServerSuccess = Math.max(...served.filter((s) => !s.denied).map((s) => s.at));
    // The guarantee: once the gateway has refused the key, nothing started later succeeds. (A
    // request started in the few ms between COMMIT and NOTIFY delivery may still pass; that
    // window is what the printed figures measure.)
    const afterRefusal = samples.filter((s) => s.start >= firstServerRefusal);
    const lateSuccesses = afterRefusal.filter((s) => s.ok);
    console.log(
      `[revocation] ${WORKERS} workers, ${samples.length} GETs (${before.length} before the revoke, ${after.length} started after its commit); ` +
        `revoke transaction ${(committed - revokeStarted).toFixed(1)} ms; after the commit: NOTIFY processed ${(invalidatedAt - committed).toFixed(2)} ms, gateway's first refusal ${(firstServerRefusal - committed).toFixed(2)} ms, ` +
        `gateway's last success ${(lastServerSuccess - committed).toFixed(2)} ms, client saw its first refusal ${(firstRefusal - committed).toFixed(2)} ms ` +
        `(negative = before the COMMIT acknowledgement reached the revoker); successes started after the first refusal: ${lateSuccesses.length}, after the commit: ${after.filter((s) => s.ok).length}`,
    );
    expect(before.length).toBeGreaterThan(WORKERS);
    expect(before.every((s) => s.ok)).toBe(true);
    expect(after.length).toBeGreaterThan(WORKERS);
    expect(lateSuccesses).toEqual([]);
    expect(invalidatedAt).not.toBeNaN();
    expect(afterRefusal.length).toBeGreaterThan(WORKERS);
    expect(new Set(afterRefusal.map((s) => s.code))).toEqual(new Set(["InvalidAccessKeyId"]));
    // Nothing started after the gateway processed the NOTIFY succeeds either.
    expect(samples.filter((s) => s.start >= invalidatedAt && s.ok)).toEqual([]);
    // Generous for loaded CI machines; the printed figures are the measurement. The client's
    // first refusal also includes the request's own latency, which a loaded machine inflates,
    // so the bound is on the gateway's side: when it stopped honouring the key.
    expect(invalidatedAt - committed).toBeLessThan(1000);
  }, 60_000);
});

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** testDb() whose accessKey.findUnique of a key reports when it has read, then waits for `gate` before returning. */
function slowKeyReads(gate: Promise<void>, onRead: () => void): Db {
  const db = testDb();
  const accessKey = new Proxy(db.accessKey, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop !== "findUnique") return value;
      return async (args: { where: { accessKeyId: string } }) => {
        const row = await (value as (a: unknown) => Promise<unknown>).call(target, args);
        if (args.where.accessKeyId === "") return row; // KeyStore.start()'s warm-up
        onRead();
        await gate;
        return row;
      };
    },
  });
  return new Proxy(db, { get: (target, prop) => (prop === "accessKey" ? accessKey : Reflect.get(target, prop)) });
}

describe("key store invalidation race", () => {
  it("a key load in flight when the revocation's NOTIFY arrives does not re-cache the old state", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "race", regionId: "local", permissions: ["read"] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let read!: () => void;
    const readDone = new Promise<void>((r) => (read = r));
    let slow = true;
    const store = new KeyStore(slowKeyReads(gate, () => slow && read()), inject("databaseUrl"));
    await store.start();
    expect(store.cacheActive).toBe(true);
    const notified = new Promise<void>((resolve) => {
      const invalidate = store.invalidate.bind(store);
      store.invalidate = (payload) => {
        invalidate(payload);
        if (payload === key.accessKeyId) resolve();
      };
    });
    try {
      const inFlight = store.lookup(key.accessKeyId);
      await readDone; // the row was read while the key was active
      await revokeKey(testDb(), admin, key.id);
      await notified; // the gateway has processed the invalidation…
      slow = false;
      release(); // …and only now does the old read complete
      expect((await inFlight)?.scope.revokedAt).toBeNull();
      const next = await store.lookup(key.accessKeyId);
      expect(next?.scope.revokedAt, "the pre-revocation read was cached after the invalidation").not.toBeNull();
    } finally {
      release();
      await store.stop();
    }
  });

  it("keeps at most maxCached keys: made-up access key ids cannot grow it, the oldest entry goes first", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "bounded", regionId: "local", permissions: ["read"] });
    let reads = 0;
    const store = new KeyStore(slowKeyReads(Promise.resolve(), () => reads++), inject("databaseUrl"), 60_000, 1500, 3);
    await store.start();
    try {
      expect((await store.lookup(key.accessKeyId))?.accessKeyId).toBe(key.accessKeyId);
      const madeUp = ["KGAAAAAAAAAAAAAAAAAA", "KGBBBBBBBBBBBBBBBBBB", "KGCCCCCCCCCCCCCCCCCC"];
      for (const id of madeUp) expect(await store.lookup(id)).toBeNull();
      expect(reads).toBe(4);
      expect(await store.lookup(madeUp[2])).toBeNull(); // the newest are cached…
      expect(await store.lookup(madeUp[1])).toBeNull();
      expect(reads).toBe(4);
      expect((await store.lookup(key.accessKeyId))?.accessKeyId).toBe(key.accessKeyId); // …the oldest was dropped and is read again
      expect(reads).toBe(5);
    } finally {
      await store.stop();
    }
  });

  it("a burst on a cold cache costs one load; a load that outlives its caller's timeout still fills the cache", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "burst", regionId: "local", permissions: ["read"] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reads = 0;
    const store = new KeyStore(slowKeyReads(gate, () => reads++), inject("databaseUrl"), 60_000, 300);
    await store.start();
    try {
      const burst = await Promise.allSettled(Array.from({ length: 20 }, () => store.lookup(key.accessKeyId)));
      // The database is slower than the lookup timeout: every request of the burst fails (503)…
      expect(burst.map((r) => r.status)).toEqual(Array(20).fill("rejected"));
      expect(reads).toBe(1); // …after one read, not twenty
      release(); // the one load completes after its callers gave up
      await new Promise((r) => setTimeout(r, 200));
      const retry = await store.lookup(key.accessKeyId); // the client's retry is answered from the cache
      expect(retry?.accessKeyId).toBe(key.accessKeyId);
      expect(reads).toBe(1);
    } finally {
      release();
      await store.stop();
    }
  });
});
