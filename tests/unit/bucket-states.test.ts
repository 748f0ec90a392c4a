// The project page's per-bucket versioning / Object Lock badges: read from real fs storage, and a
// region that hangs or fails makes its buckets "unknown" within the time bound, never the page fail.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketStates } from "../../lib/buckets/bucket-states";
import { createFsBackend, type FsBackend } from "../../lib/storage";
import type { StorageBackend } from "../../lib/storage/types";

let dir: string;
let fs: FsBackend;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "keygate-states-"));
  fs = createFsBackend(dir);
  await fs.createBucket("plain");
  await fs.createBucket("versioned");
  await fs.putBucketVersioning("versioned", "Enabled");
  await fs.createBucket("locked", { objectLock: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("bucketStates", () => {
  it("reads each bucket's state; a hanging or failing region shows unknown within the bound", async () => {
    const hanging = { getBucketVersioning: () => new Promise(() => {}), getObjectLockConfiguration: () => new Promise(() => {}) } as unknown as StorageBackend;
    const storageFor = (region: string) => {
      if (region === "local") return fs;
      if (region === "slow") return hanging;
      throw new Error("unknown region");
    };
    const started = Date.now();
    const states = await bucketStates([
      { id: "1", name: "plain", regionId: "local" }, { id: "2", name: "versioned", regionId: "local" }, { id: "3", name: "locked", regionId: "local" },
      { id: "4", name: "x", regionId: "slow" }, { id: "5", name: "y", regionId: "gone" }, { id: "6", name: "missing", regionId: "local" },
    ], storageFor, 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(Object.fromEntries(states)).toEqual({
      1: { versioning: "Unversioned", objectLock: false },
      2: { versioning: "Enabled", objectLock: false },
      3: { versioning: "Enabled", objectLock: true },
      4: null, 5: null, 6: null,
    });
  });
});
