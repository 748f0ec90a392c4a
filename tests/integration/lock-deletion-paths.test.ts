// Keygate's own deletion paths respect Object Lock: deleting a bucket (console/API/gateway) or
// an organization with purge is refused, with a message naming the lock, while any version is
// under legal hold or an unexpired retention; nothing is purged before the refusal. Once the
// locks are gone (hold removed, retention expired) both proceed.
import { DeleteBucketCommand, HeadObjectCommand, PutObjectCommand, PutObjectLegalHoldCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket, deleteBucket } from "../../lib/buckets/buckets";
import { createMasterKey } from "../../lib/keys/create-keys";
import { deleteOrganization } from "../../lib/orgs/delete-organization";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });

async function lockedProject() {
  const seeded = await seedProject(gw, []);
  const name = `locked-${Date.now().toString(36)}`;
  const row = await createBucket(testDb(), seeded.admin, { projectId: seeded.project.id, regionId: "local", name, objectLock: true }, () => gw.storage);
  const client = s3(gw, await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" }));
  return { ...seeded, name, row, client };
}

describe("deletion paths and Object Lock", () => {
  it("bucket deletion is refused while a version is under legal hold, then allowed", async () => {
    const { admin, name, row, client } = await lockedProject();
    const v = await client.send(new PutObjectCommand({ Bucket: name, Key: "held", Body: "x", ObjectLockLegalHoldStatus: "ON" }));
    await expect(deleteBucket(testDb(), admin, row.id, () => gw.storage)).rejects.toMatchObject({
      status: 409, message: expect.stringMatching(/not empty.*Object Lock.*"held", legal hold/),
    });
    const viaGateway = await client.send(new DeleteBucketCommand({ Bucket: name })).catch((e) => e.name);
    expect(viaGateway).toBe("BucketNotEmpty");
    expect(await testDb().bucket.count({ where: { id: row.id } })).toBe(1);
    await client.send(new PutObjectLegalHoldCommand({ Bucket: name, Key: "held", VersionId: v.VersionId, LegalHold: { Status: "OFF" } }));
    await expect(deleteBucket(testDb(), admin, row.id, () => gw.storage)).rejects.toMatchObject({ message: expect.stringContaining("Delete its objects first") });
  });

  it("org delete with purge refuses before deleting anything while a retention runs; after it expires the purge proceeds", async () => {
    const { org, admin, name, client } = await lockedProject();
    await client.send(new PutObjectCommand({ Bucket: name, Key: "free", Body: "no lock" }));
    const until = new Date(Date.now() + 2500);
    await client.send(new PutObjectCommand({ Bucket: name, Key: "kept", Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: until }));
    await expect(deleteOrganization(testDb(), admin, { purge: true }, () => gw.storage)).rejects.toMatchObject({
      status: 409, message: expect.stringMatching(/Object Lock.*"kept", GOVERNANCE retention/),
    });
    // Nothing was purged: the unlocked object is still there.
    expect((await client.send(new HeadObjectCommand({ Bucket: name, Key: "free" }))).ContentLength).toBe(7);
    await new Promise((r) => setTimeout(r, Math.max(0, until.getTime() - Date.now()) + 100));
    const result = await deleteOrganization(testDb(), admin, { purge: true }, () => gw.storage);
    expect(result).toMatchObject({ buckets: 1, objectsDeleted: 2 });
    expect(await gw.storage.bucketExists(name)).toBe(false);
    expect(await testDb().organization.count({ where: { id: org.id } })).toBe(0);
  });
});
