import {
  CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { type Gateway, keyChangeHeard, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });

const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => e?.name ?? e?.Code ?? String(e));

describe("gateway with @aws-sdk/client-s3 (default settings)", () => {
  it("a master key reads, writes, lists and deletes, and creates buckets in its project", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["photos"]);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const client = s3(gw, key);
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "a/b.txt", Body: "hello world", ContentType: "text/plain" }));
    const got = await client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "a/b.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello world");
    expect(got.ContentType).toBe("text/plain");
    const listed = await client.send(new ListObjectsV2Command({ Bucket: buckets[0] }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["a/b.txt"]);
    const newBucket = `made-by-s3-${Date.now()}`;
    await client.send(new CreateBucketCommand({ Bucket: newBucket }));
    expect(await testDb().bucket.count({ where: { projectId: project.id, name: newBucket } })).toBe(1);
    await client.send(new DeleteObjectCommand({ Bucket: buckets[0], Key: "a/b.txt" }));
    expect(await code(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "a/b.txt" })))).toBe("NoSuchKey");
  });

  it("a read-only sub key for one bucket reads, but cannot write, delete or see the other bucket", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["in", "out"]);
    const master = s3(gw, await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" }));
    await master.send(new PutObjectCommand({ Bucket: buckets[0], Key: "doc.txt", Body: "data" }));
    const inId = (await testDb().bucket.findFirstOrThrow({ where: { name: buckets[0] } })).id;
    const ro = await createSubKey(testDb(), admin, { projectId: project.id, name: "ro", regionId: "local", permissions: ["read", "list"], bucketScope: "selected", bucketIds: [inId] });
    const client = s3(gw, ro);
    expect(await (await client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "doc.txt" }))).Body!.transformToString()).toBe("data");
    expect(await code(client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "x", Body: "y" })))).toBe("AccessDenied");
    expect(await code(client.send(new DeleteObjectCommand({ Bucket: buckets[0], Key: "doc.txt" })))).toBe("AccessDenied");
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: buckets[1] })))).toBe("AccessDenied");
    const head = await client.send(new HeadBucketCommand({ Bucket: buckets[1] })).catch((e) => e);
    expect(head.$metadata?.httpStatusCode).toBe(403); // HEAD errors carry no body, only the status
    const all = await client.send(new ListBucketsCommand({}));
    expect(all.Buckets?.map((b) => b.Name)).toEqual([buckets[0]]);
  });

  it("revocation and rotation take effect on the next request", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["rot"]);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const old = s3(gw, key);
    await old.send(new ListObjectsV2Command({ Bucket: buckets[0] })); // cached now
    let heard = keyChangeHeard(gw, key.accessKeyId);
    const rotated = await rotateKey(testDb(), admin, key.id);
    await heard;
    expect(await code(old.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("SignatureDoesNotMatch");
    const fresh = s3(gw, rotated);
    await fresh.send(new ListObjectsV2Command({ Bucket: buckets[0] }));
    heard = keyChangeHeard(gw, key.accessKeyId);
    await revokeKey(testDb(), admin, key.id);
    await heard;
    expect(await code(fresh.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("InvalidAccessKeyId");
  });

  it("refuses a wrong region, and records events and last used per key", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["ev"]);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    expect(await code(s3(gw, key, "eu-west-1").send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("AuthorizationHeaderMalformed");
    const client = s3(gw, key);
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "e.txt", Body: "12345" }));
    // Bytes sent are counted for a small object (sent from memory) and a large one (streamed from disk), whole and ranged.
    const large = Buffer.alloc(300 * 1024, 7);
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "large.bin", Body: large }));
    for (const [Key, Range] of [["e.txt", undefined], ["large.bin", undefined], ["large.bin", "bytes=100-200099"]] as const) {
      const got = await client.send(new GetObjectCommand({ Bucket: buckets[0], Key, Range }));
      await got.Body!.transformToByteArray();
    }
    await gw.events.flush();
    const events = await testDb().event.findMany({ where: { keyId: key.id, type: "key.request" }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.operation, e.status, e.outcome])).toEqual([
      ["ListObjectsV2", 400, "allowed"], ["PutObject", 200, "allowed"], ["PutObject", 200, "allowed"],
      ["GetObject", 200, "allowed"], ["GetObject", 200, "allowed"], ["GetObject", 206, "allowed"],
    ]);
    expect(events.map((e) => [Number(e.bytesIn), Number(e.bytesOut)])).toEqual([[0, 0], [5, 0], [large.length, 0], [0, 5], [0, large.length], [0, 200_000]]);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.lastUsedOp).toBe("GetObject");
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("DeleteObjects checks every entry against a prefix-limited key", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["pfx"]);
    const master = s3(gw, await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" }));
    for (const Key of ["team/a.txt", "other/b.txt"]) await master.send(new PutObjectCommand({ Bucket: buckets[0], Key, Body: "x" }));
    const scoped = s3(gw, await createSubKey(testDb(), admin, { projectId: project.id, name: "team", regionId: "local", permissions: ["read", "list", "delete"], prefix: "team/" }));
    const out = await scoped.send(new DeleteObjectsCommand({ Bucket: buckets[0], Delete: { Objects: [{ Key: "team/a.txt" }, { Key: "other/b.txt" }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(["team/a.txt"]);
    expect(out.Errors?.map((e) => [e.Key, e.Code])).toEqual([["other/b.txt", "AccessDenied"]]);
    const left = await master.send(new ListObjectsV2Command({ Bucket: buckets[0] }));
    expect(left.Contents?.map((o) => o.Key)).toEqual(["other/b.txt"]);
  });
});
