// Versioning and Object Lock as the console (and CLI, API) set them through lib/buckets: created
// with the bucket, read back from real fs storage, changed by ADMINs only with an event, refused
// as S3 refuses, and a region whose storage is down reported clearly instead of crashing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBucketSettings, setBucketVersioning, setDefaultRetention } from "../../lib/buckets/bucket-settings";
import { createBucket } from "../../lib/buckets/buckets";
import { AppError } from "../../lib/errors";
import { explainStorageError, unreachableStorage } from "../../lib/buckets/storage-failure";
import { createS3Backend } from "../../lib/storage/s3-backend";
import { StorageError } from "../../lib/storage/types";
import { type Gateway, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let seeded: Awaited<ReturnType<typeof seedProject>>;
beforeAll(async () => {
  gw = await startGateway();
  seeded = await seedProject(gw, []);
});
afterAll(async () => { await gw?.stop(); });

const storageFor = () => gw.storage;
const unique = (p: string) => `${p}-${Math.random().toString(36).slice(2, 8)}`;
const make = (name: string, opts: { versioning?: boolean; objectLock?: boolean } = {}) =>
  createBucket(testDb(), seeded.admin, { projectId: seeded.project.id, regionId: "local", name, ...opts }, storageFor);
const failure = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.message}` : `${e?.name}: ${e?.message}`));
const eventsOf = async (type: string, name: string) =>
  (await testDb().event.findMany({ where: { projectId: seeded.project.id, type }, orderBy: { id: "asc" }, select: { data: true } }))
    .map((e) => e.data as Record<string, unknown>).filter((d) => d.name === name);

describe("bucket creation with versioning or Object Lock", () => {
  it("creates them in storage as asked, and records the choice in the event", async () => {
    const [plain, versioned, locked] = [unique("plain"), unique("versioned"), unique("locked")];
    expect(await make(plain)).toMatchObject({ name: plain, versioning: "Unversioned", objectLock: false });
    expect(await make(versioned, { versioning: true })).toMatchObject({ versioning: "Enabled", objectLock: false });
    expect(await make(locked, { objectLock: true })).toMatchObject({ versioning: "Enabled", objectLock: true });
    expect(await gw.storage.getBucketVersioning(plain)).toBe("Unversioned");
    expect(await gw.storage.getBucketVersioning(versioned)).toBe("Enabled");
    expect(await gw.storage.getObjectLockConfiguration(versioned)).toEqual({ enabled: false });
    expect([await gw.storage.getBucketVersioning(locked), (await gw.storage.getObjectLockConfiguration(locked)).enabled]).toEqual(["Enabled", true]);
    expect((await eventsOf("bucket.created", locked))[0]).toMatchObject({ objectLock: true, versioning: true });
    expect((await eventsOf("bucket.created", plain))[0]).not.toHaveProperty("objectLock");
  });

  it("only ADMINs create buckets, with or without these options", async () => {
    const name = unique("plus");
    const asPlus = createBucket(testDb(), seeded.members.MEMBER_PLUS, { projectId: seeded.project.id, regionId: "local", name, objectLock: true }, storageFor);
    expect(await failure(asPlus)).toMatch(/^403 /);
    expect(await gw.storage.bucketExists(name)).toBe(false);
  });
});

describe("the bucket page's settings", () => {
  it("enables and suspends versioning (never back to Unversioned), with an event each, for ADMINs only", async () => {
    const name = unique("toggle");
    const { id } = await make(name);
    expect(await getBucketSettings(testDb(), seeded.admin, id, storageFor)).toEqual({ versioning: "Unversioned", objectLock: { enabled: false } });
    expect(await failure(setBucketVersioning(testDb(), seeded.members.MEMBER_PLUS, id, "Enabled", storageFor))).toMatch(/^403 /);
    expect(await failure(getBucketSettings(testDb(), seeded.members.MEMBER_PLUS, id, storageFor))).toMatch(/^403 /);
    await setBucketVersioning(testDb(), seeded.admin, id, "Enabled", storageFor);
    await setBucketVersioning(testDb(), seeded.admin, id, "Suspended", storageFor);
    expect((await getBucketSettings(testDb(), seeded.admin, id, storageFor)).versioning).toBe("Suspended");
    expect(await failure(setBucketVersioning(testDb(), seeded.admin, id, "Unversioned", storageFor))).toMatch(/^ZodError/);
    expect((await eventsOf("bucket.versioning_changed", name)).map((d) => d.state)).toEqual(["Enabled", "Suspended"]);
  });

  it("refuses to suspend versioning of an Object Lock bucket, and writes no event", async () => {
    const name = unique("lockver");
    const { id } = await make(name, { objectLock: true });
    expect(await failure(setBucketVersioning(testDb(), seeded.admin, id, "Suspended", storageFor))).toMatch(/^400 .*Object Lock cannot be suspended/);
    expect(await gw.storage.getBucketVersioning(name)).toBe("Enabled");
    expect(await eventsOf("bucket.versioning_changed", name)).toEqual([]);
  });

  it("sets and removes the default retention of an Object Lock bucket; refuses it on other buckets and out of range", async () => {
    const name = unique("retain");
    const { id } = await make(name, { objectLock: true });
    await setDefaultRetention(testDb(), seeded.admin, id, { mode: "GOVERNANCE", period: "30", unit: "days" }, storageFor);
    expect((await getBucketSettings(testDb(), seeded.admin, id, storageFor)).objectLock).toEqual({ enabled: true, defaultRetention: { mode: "GOVERNANCE", days: 30 } });
    await setDefaultRetention(testDb(), seeded.admin, id, { mode: "COMPLIANCE", period: 2, unit: "years" }, storageFor);
    expect(await gw.storage.getObjectLockConfiguration(name)).toEqual({ enabled: true, defaultRetention: { mode: "COMPLIANCE", years: 2 } });
    await setDefaultRetention(testDb(), seeded.admin, id, { mode: "none" }, storageFor);
    expect(await gw.storage.getObjectLockConfiguration(name)).toEqual({ enabled: true });
    expect((await eventsOf("bucket.object_lock_changed", name)).map((d) => d.defaultRetention)).toEqual(["GOVERNANCE, 30 days", "COMPLIANCE, 2 years", "none"]);
    for (const bad of [{ mode: "GOVERNANCE", period: 0, unit: "days" }, { mode: "COMPLIANCE", period: 101, unit: "years" }, { mode: "FOREVER" }, { mode: "GOVERNANCE", period: 1.5, unit: "days" }]) {
      expect(await failure(setDefaultRetention(testDb(), seeded.admin, id, bad, storageFor)), JSON.stringify(bad)).toMatch(/^ZodError/);
    }
    expect(await failure(setDefaultRetention(testDb(), seeded.members.MEMBER_PLUS, id, { mode: "none" }, storageFor))).toMatch(/^403 /);
    const plain = await make(unique("nolock"), { versioning: true });
    expect(await failure(setDefaultRetention(testDb(), seeded.admin, plain.id, { mode: "GOVERNANCE", period: 1, unit: "days" }, storageFor)))
      .toMatch(/^400 .*has no Object Lock/);
  });
});

describe("a region whose storage is down", () => {
  // Nothing listens on this port (our range): connection refused, as when a region's S3 is down.
  const down = createS3Backend({ endpoint: "http://127.0.0.1:42199", region: "us-east-1", accessKeyId: "AKIADOWN", secretAccessKey: "down-secret", forcePathStyle: true });

  it("refuses to create the bucket with a clear 502, and keeps no row", async () => {
    const name = unique("down");
    const err = await failure(createBucket(testDb(), seeded.admin, { projectId: seeded.project.id, regionId: "local", name, versioning: true }, () => down));
    expect(err).toBe("502 The storage of region local could not be reached. Try again; if it keeps failing, ask the operator to check the region.");
    expect(await testDb().bucket.count({ where: { name } })).toBe(0);
  });

  it("people read the storage's own refusals; the gateway still gets them as S3 errors", () => {
    const refused = new StorageError("AccessDenied", "Access Denied", 403);
    expect(() => explainStorageError("eu-1")(refused)).toThrow("The storage of region eu-1 refused: Access Denied (AccessDenied).");
    expect(() => unreachableStorage("eu-1")(refused)).toThrow(refused);
    const zod = new Error("not a storage error");
    expect(() => explainStorageError("eu-1")(zod)).toThrow(zod);
  });

  it("reports the settings as unreadable and changes nothing", async () => {
    const name = unique("downread");
    const { id } = await make(name);
    expect(await failure(getBucketSettings(testDb(), seeded.admin, id, () => down))).toMatch(/^502 The storage of region local could not be reached/);
    expect(await failure(setBucketVersioning(testDb(), seeded.admin, id, "Enabled", () => down))).toMatch(/^502 /);
    expect(await eventsOf("bucket.versioning_changed", name)).toEqual([]);
    expect(await gw.storage.getBucketVersioning(name)).toBe("Unversioned");
  });
});
