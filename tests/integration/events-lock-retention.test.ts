// Event retention and Object Lock: the purge keeps old events of buckets with Object Lock
// (asked of real fs storage), purges the rest as before, and a region that cannot answer
// counts as locked.
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
  it("keeps the old events of lock buckets, purges the others", async () => {
    const w = await eventWorld();
    const suffix = Date.now().toString(36);
    const [locked, plain] = [`evl-${suffix}`, `evp-${suffix}`];
    await storage.createBucket(locked, { objectLock: true });
    await storage.createBucket(plain);
    await testDb().bucket.createMany({ data: [locked, plain].map((name) => ({ projectId: w.p1.id, regionId: "local", name })) });
    const old = new Date(Date.now() - 400 * DAY);
    await insertEvents(requestEvents(w.plusSub, 4, { bucket: locked }, old));
    await insertEvents(requestEvents(w.plusSub, 3, { bucket: plain }, old));
    await insertEvents(requestEvents(w.plusSub, 2, { bucket: null, operation: "ListBuckets" }, old));

    const lockBuckets = await listObjectLockBuckets(testDb(), () => storage);
    expect(lockBuckets).toContainEqual({ projectId: w.p1.id, bucket: locked });
    expect(lockBuckets).not.toContainEqual({ projectId: w.p1.id, bucket: plain });

    await purgeOldEvents(testDb(), { retentionDays: 183, log: () => {}, keep: async () => lockBuckets });
    const left = await testDb().event.groupBy({ by: ["bucket"], where: { keyId: w.plusSub.id }, _count: true });
    expect(left.map((g) => [g.bucket, g._count])).toEqual([[locked, 4]]);
  });

  it("a region that cannot answer counts as locked", async () => {
    const w = await eventWorld();
    const name = `evx-${Date.now().toString(36)}`;
    await testDb().bucket.create({ data: { projectId: w.p2.id, regionId: "local", name } });
    const down = { getObjectLockConfiguration: async () => { throw new Error("upstream down"); } } as unknown as StorageBackend;
    expect(await listObjectLockBuckets(testDb(), () => down)).toContainEqual({ projectId: w.p2.id, bucket: name });
  });
});
