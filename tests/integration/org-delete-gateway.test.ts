// Deleting a project or an organization takes its keys away at the gateway on the very next
// request (the deletion tells every gateway to drop its cached keys), and org delete --purge
// empties and removes the buckets from storage.
import { DeleteObjectCommand, GetObjectCommand, ListBucketsCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey } from "../../lib/keys/create-keys";
import { deleteOrganization } from "../../lib/orgs/delete-organization";
import { deleteProject } from "../../lib/projects/projects";
import { type Gateway, keyChangeHeard, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });

const errorCode = (p: Promise<unknown>) => p.then(() => "ok", (err: { name?: string; Code?: string }) => err.Code ?? err.name);

describe("keys of deleted projects and organizations", () => {
  it("a deleted project's master key is refused as soon as the gateway hears of it (InvalidAccessKeyId)", async () => {
    const { project, admin } = await seedProject(gw, []); // no bucket: nothing else tells the gateway
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const client = s3(gw, key);
    expect(await errorCode(client.send(new ListBucketsCommand({})))).toBe("ok"); // cached now
    const heard = keyChangeHeard(gw, key.accessKeyId);
    await deleteProject(testDb(), admin, project.id);
    await heard;
    expect(await errorCode(client.send(new ListBucketsCommand({})))).toBe("InvalidAccessKeyId");
  });

  it("org delete refuses buckets with objects, then with purge removes objects, buckets and keys", async () => {
    const { org, project, buckets, admin } = await seedProject(gw, ["full", "empty"]);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const client = s3(gw, key);
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "a/b.txt", Body: "hello" }));
    await expect(deleteOrganization(testDb(), admin, {}, () => gw.storage)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(buckets[0]) });
    expect(await errorCode(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "a/b.txt" })))).toBe("ok");

    const heard = keyChangeHeard(gw, key.accessKeyId);
    const result = await deleteOrganization(testDb(), admin, { purge: true }, () => gw.storage);
    await heard;
    expect(result).toMatchObject({ buckets: 2, objectsDeleted: 1, keys: 1, projects: 1, members: 3 });
    expect(await errorCode(client.send(new ListBucketsCommand({})))).toBe("InvalidAccessKeyId");
    for (const b of buckets) expect(await gw.storage.bucketExists(b)).toBe(false);
    expect(await testDb().organization.count({ where: { id: org.id } })).toBe(0);
    const events = await testDb().event.findMany({ where: { orgId: org.id, type: { in: ["bucket.deleted", "org.deleted"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["bucket.deleted", "bucket.deleted", "org.deleted"]);
  });

  it("purge removes every version and delete marker of a versioned bucket", async () => {
    const { org, project, buckets, admin } = await seedProject(gw, ["versioned"]);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const client = s3(gw, key);
    await client.send(new PutBucketVersioningCommand({ Bucket: buckets[0], VersioningConfiguration: { Status: "Enabled" } }));
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "k", Body: "one" }));
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "k", Body: "two" }));
    await client.send(new DeleteObjectCommand({ Bucket: buckets[0], Key: "k" })); // no current object: only versions and a marker
    await expect(deleteOrganization(testDb(), admin, {}, () => gw.storage)).rejects.toMatchObject({ status: 409 });

    const result = await deleteOrganization(testDb(), admin, { purge: true }, () => gw.storage);
    expect(result).toMatchObject({ buckets: 1, objectsDeleted: 3 });
    expect(await gw.storage.bucketExists(buckets[0])).toBe(false);
    expect(await testDb().organization.count({ where: { id: org.id } })).toBe(0);
  });

  it("only an ADMIN may delete an organization", async () => {
    const { members } = await seedProject(gw, []);
    await expect(deleteOrganization(testDb(), members.MEMBER_PLUS, { purge: true }, () => gw.storage)).rejects.toMatchObject({ status: 403 });
  });
});
