// Event retention and Object Lock: the purge keeps the events of buckets with a default retention
// for max(the event retention, that period) (asked of real fs storage), purges the rest as before,
// and a region that cannot answer keeps all its buckets' events.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listObjectLockBuckets } from "../../lib/events/lock-buckets";
import { purgeOldEvents } from "../../lib/events/retention";
import { createFsBackend, type FsBackend } from "../../lib/storage";
import type { StorageBackend } from "../../lib/storage/types";
import { DAY, eventWorld, insertEvents, requestEvents } from "./events-fixtures";
import { testDb } from "./helpers";

let dir: string;
let storage: FsBackend;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "keygate-lock-events-"));
  storage = createFsBackend(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("event retention with Object Lock", () => {
  it("keeps a lock bucket's events for its default retention period, no longer; others as before", async () => {
    const w = await eventWorld();
    const suffix = Date.now().toString(36);
    const [year, days, bare, plain] = [`evy-${suffix}`, `evd-${suffix}`, `evb-${suffix}`, `evp-${suffix}`];
    for (const name of [year, days, bare]) await storage.createBucket(name, { objectLock: true });
    await storage.createBucket(plain);
    await storage.putObjectLockConfiguration(year, { enabled: true, defaultRetention: { mode: "COMPLIANCE", years: 1 } });
    await storage.putObjectLockConfiguration(days, { enabled: true, defaultRetention: { mode: "GOVERNANCE", days: 30 } });
    await testDb().bucket.createMany({ data: [year, days, bare, plain].map((name) => ({ projectId: w.p1.id, regionId: "local", name })) });
    const ago = (d: number) => new Date(Date.now() - d * DAY);
    for (const bucket of [year, days, bare, plain]) {
      await insertEvents(requestEvents(w.plusSub, 1, { bucket }, ago(400)));
      await insertEvents(requestEvents(w.plusSub, 2, { bucket }, ago(300)));
    }
    await insertEvents(requestEvents(w.plusSub, 2, { bucket: null, operation: "ListBuckets" }, ago(400)));

    const lockBuckets = await listObjectLockBuckets(testDb(), () => storage);
    expect(lockBuckets).toContainEqual({ projectId: w.p1.id, bucket: year, keepDays: 366 });
    expect(lockBuckets).toContainEqual({ projectId: w.p1.id, bucket: days, keepDays: 30 });
    expect(lockBuckets.map((b) => b.bucket)).not.toContain(bare);
    expect(lockBuckets.map((b) => b.bucket)).not.toContain(plain);

    await purgeOldEvents(testDb(), { retentionDays: 183, log: () => {}, keep: async () => lockBuckets });
    const left = await testDb().event.groupBy({ by: ["bucket"], where: { keyId: w.plusSub.id }, _count: true });
    expect(left.map((g) => [g.bucket, g._count])).toEqual([[year, 2]]);
  });

  it("a region that cannot answer keeps all events of its buckets", async () => {
    const w = await eventWorld();
    const name = `evx-${Date.now().toString(36)}`;
    await testDb().bucket.create({ data: { projectId: w.p1.id, regionId: "local", name } });
    const down = { getObjectLockConfiguration: async () => { throw new Error("upstream down"); } } as unknown as StorageBackend;
    const refs = await listObjectLockBuckets(testDb(), () => down);
    expect(refs).toContainEqual({ projectId: w.p1.id, bucket: name, keepDays: Infinity });
    await insertEvents(requestEvents(w.plusSub, 3, { bucket: name }, new Date(Date.now() - 4000 * DAY)));
    await purgeOldEvents(testDb(), { retentionDays: 183, log: () => {}, keep: async () => refs.filter((r) => r.bucket === name) });
    expect(await testDb().event.count({ where: { keyId: w.plusSub.id, bucket: name } })).toBe(3);
  });
});
