// The `s3` storage backend, end to end: a front gateway whose region forwards to an upstream
// S3 service. The upstream is a second Keygate gateway (fs backend) with its own master key,
// so the whole chain is real HTTP with two independent SigV4 verifications. The front region
// is "front", the upstream's is "local": bucket names are unique per region, and the two
// regions' buckets share names just as they would with a real upstream.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand,
  ListBucketsCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import { createGatewayServer } from "../../gateway/server";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { createS3Backend } from "../../lib/storage/s3-backend";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const MiB = 1024 * 1024;
const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => e?.name ?? String(e));

let upstream: Gateway;
let upstreamKey: IssuedKey;
let upstreamBucketsOf: string; // upstream project id
let front: { url: string; stop: () => Promise<void> };
let frontKey: IssuedKey;
let bucket: string;
let frontProject: Awaited<ReturnType<typeof seedProject>>;

beforeAll(async () => {
  upstream = await startGateway(); // sets the process keyring used by both gateways
  const up = await seedProject(upstream, []);
  upstreamBucketsOf = up.project.id;
  upstreamKey = await createMasterKey(testDb(), up.admin, { projectId: up.project.id, name: "upstream", regionId: "local" });
  await testDb().region.upsert({ where: { id: "front" }, create: { id: "front", endpoint: "http://front.invalid" }, update: {} });

  const storage = createS3Backend({ endpoint: upstream.url, region: "local", accessKeyId: upstreamKey.accessKeyId, secretAccessKey: upstreamKey.secret, forcePathStyle: true });
  const db = testDb();
  const keys = new KeyStore(db, inject("databaseUrl"));
  const events = new EventWriter(inject("databaseUrl"), { intervalMs: 50 });
  await keys.start();
  events.start();
  const server = createGatewayServer({ db, keys, events, metrics: createMetrics(), storageFor: () => storage, domains: ["localhost"] });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  front = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await events.stop();
      await keys.stop();
    },
  };
  // The front project's bucket, created through the console path: row in region "front",
  // storage bucket upstream (created there by the upstream master key).
  const fp = (frontProject = await seedProject(upstream, []));
  bucket = `fwd-${randomBytes(3).toString("hex")}`;
  await createBucket(testDb(), fp.admin, { projectId: fp.project.id, regionId: "front", name: bucket }, () => storage);
  frontKey = await createMasterKey(testDb(), fp.admin, { projectId: fp.project.id, name: "front", regionId: "front" });
}, 60_000);

afterAll(async () => {
  await front?.stop();
  await upstream?.stop();
});

/** An SDK client for the front gateway (region "front"), default settings like the harness's s3(). */
const frontS3 = (creds: { accessKeyId: string; secret: string }) =>
  new S3Client({ endpoint: front.url, region: "front", forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret } });
const frontClient = () => frontS3(frontKey);

describe("s3 backend: a front gateway forwarding to an upstream S3 service", () => {
  it("the bucket exists upstream, created with the upstream's master key", async () => {
    const names = (await s3(upstream, upstreamKey).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toEqual([bucket]);
    expect(await testDb().bucket.count({ where: { projectId: upstreamBucketsOf, regionId: "local", name: bucket } })).toBe(1);
  });

  it("put, get (whole and ranged), head, copy, list and delete pass through with the SDK's default settings", async () => {
    const c = frontClient();
    const body = randomBytes(2 * MiB + 5);
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: "dir/a.bin", Body: body, ContentType: "application/x-test", Metadata: { origin: "front" } }));
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: "dir/a.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentType).toBe("application/x-test");
    expect(got.Metadata).toEqual({ origin: "front" });
    const ranged = await c.send(new GetObjectCommand({ Bucket: bucket, Key: "dir/a.bin", Range: "bytes=10-19" }));
    expect(ranged.ContentRange).toBe(`bytes 10-19/${body.length}`);
    expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(body.subarray(10, 20))).toBe(true);
    expect((await c.send(new HeadObjectCommand({ Bucket: bucket, Key: "dir/a.bin" }))).ContentLength).toBe(body.length);
    await c.send(new CopyObjectCommand({ Bucket: bucket, Key: "dir/b.bin", CopySource: `${bucket}/dir/a.bin` }));
    // What the front stored is really upstream: read it with the upstream's own key.
    const direct = await s3(upstream, upstreamKey).send(new GetObjectCommand({ Bucket: bucket, Key: "dir/b.bin" }));
    expect(Buffer.from(await direct.Body!.transformToByteArray()).equals(body)).toBe(true);
    const listed = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "dir/" }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([["dir/a.bin", body.length], ["dir/b.bin", body.length]]);
    await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: "dir/a.bin" }));
    const multi = await c.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "dir/b.bin" }] } }));
    expect(multi.Deleted?.map((d) => d.Key)).toEqual(["dir/b.bin"]);
    expect((await c.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it("multipart upload: create, parts, list uploads, complete; abort leaves nothing", async () => {
    const c = frontClient();
    const parts = [randomBytes(5 * MiB), randomBytes(MiB)];
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp.bin" }));
    const etags = [];
    for (const [i, part] of parts.entries()) {
      const r = await c.send(new UploadPartCommand({ Bucket: bucket, Key: "mp.bin", UploadId, PartNumber: i + 1, Body: part }));
      etags.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    expect((await c.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.map((u) => u.UploadId)).toEqual([UploadId]);
    const done = await c.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "mp.bin", UploadId, MultipartUpload: { Parts: etags } }));
    expect(done.ETag).toMatch(/-2"$/);
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: "mp.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const aborted = await c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "gone.bin" }));
    await c.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "gone.bin", UploadId: aborted.UploadId }));
    expect((await c.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
    await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: "mp.bin" }));
  });

  it("upstream errors pass through with their S3 code: NoSuchKey, NoSuchUpload, InvalidRange, BucketNotEmpty", async () => {
    const c = frontClient();
    expect(await code(c.send(new GetObjectCommand({ Bucket: bucket, Key: "missing" })))).toBe("NoSuchKey");
    expect(await code(c.send(new HeadObjectCommand({ Bucket: bucket, Key: "missing" })))).toBe("NotFound");
    expect(await code(c.send(new UploadPartCommand({ Bucket: bucket, Key: "x", UploadId: "nope", PartNumber: 1, Body: "x" })))).toBe("NoSuchUpload");
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: "short.txt", Body: "0123456789" }));
    expect(await code(c.send(new GetObjectCommand({ Bucket: bucket, Key: "short.txt", Range: "bytes=50-60" })))).toBe("InvalidRange");
    expect(await code(c.send(new DeleteBucketCommand({ Bucket: bucket })))).toBe("BucketNotEmpty");
    await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: "short.txt" }));
  });

  it("the front gateway still enforces its own keys: a read-only front key cannot write upstream", async () => {
    const fp = frontProject;
    const ro = await createSubKey(testDb(), fp.admin, { projectId: fp.project.id, name: "ro", regionId: "front", permissions: ["read", "list"] });
    const c = frontS3(ro);
    expect(await code(c.send(new PutObjectCommand({ Bucket: bucket, Key: "nope", Body: "x" })))).toBe("AccessDenied");
    expect((await c.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it("CreateBucket and DeleteBucket through the front create and delete upstream", async () => {
    const c = frontClient();
    const extra = `fwd2-${randomBytes(3).toString("hex")}`;
    await c.send(new CreateBucketCommand({ Bucket: extra }));
    expect((await s3(upstream, upstreamKey).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(extra);
    expect((await c.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([bucket, extra].sort());
    await c.send(new DeleteBucketCommand({ Bucket: extra }));
    expect((await s3(upstream, upstreamKey).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain(extra);
    expect((await c.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([bucket]);
  });

  it("versioning passes through: state, versions, delete markers, version reads, copies, deletes and multipart", async () => {
    const c = frontClient();
    const vb = `fwdv-${randomBytes(3).toString("hex")}`;
    await c.send(new CreateBucketCommand({ Bucket: vb }));
    await c.send(new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3(upstream, upstreamKey).send(new GetBucketVersioningCommand({ Bucket: vb }))).Status).toBe("Enabled");
    expect((await c.send(new GetBucketVersioningCommand({ Bucket: vb }))).Status).toBe("Enabled");
    const v1 = await c.send(new PutObjectCommand({ Bucket: vb, Key: "k", Body: "one" }));
    const v2 = await c.send(new PutObjectCommand({ Bucket: vb, Key: "k", Body: "two" }));
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const old = await c.send(new GetObjectCommand({ Bucket: vb, Key: "k", VersionId: v1.VersionId }));
    expect([await old.Body!.transformToString(), old.VersionId]).toEqual(["one", v1.VersionId]);
    expect((await c.send(new HeadObjectCommand({ Bucket: vb, Key: "k", VersionId: v1.VersionId }))).ContentLength).toBe(3);
    const copy = await c.send(new CopyObjectCommand({ Bucket: vb, Key: "copy", CopySource: `${vb}/k?versionId=${v1.VersionId}` }));
    expect(copy.CopySourceVersionId).toBe(v1.VersionId);
    expect(await (await c.send(new GetObjectCommand({ Bucket: vb, Key: "copy" }))).Body!.transformToString()).toBe("one");

    const marker = await c.send(new DeleteObjectCommand({ Bucket: vb, Key: "k" }));
    expect(marker.DeleteMarker).toBe(true);
    const gone = await c.send(new GetObjectCommand({ Bucket: vb, Key: "k" })).catch((e) => e);
    expect([gone.name, gone.$response?.headers?.["x-amz-delete-marker"]]).toEqual(["NoSuchKey", "true"]);
    const listed = await c.send(new ListObjectVersionsCommand({ Bucket: vb, Prefix: "k" }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([v2.VersionId, v1.VersionId]);
    expect(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker.VersionId, true]]);
    const page = await c.send(new ListObjectVersionsCommand({ Bucket: vb, Prefix: "k", MaxKeys: 1, KeyMarker: "k", VersionIdMarker: marker.VersionId }));
    expect([page.Versions?.map((v) => v.VersionId), page.NextVersionIdMarker]).toEqual([[v2.VersionId], v2.VersionId]);

    const removed = await c.send(new DeleteObjectCommand({ Bucket: vb, Key: "k", VersionId: v2.VersionId }));
    expect(removed.VersionId).toBe(v2.VersionId);
    const batch = await c.send(new DeleteObjectsCommand({ Bucket: vb, Delete: { Objects: [{ Key: "k", VersionId: marker.VersionId }] } }));
    expect(batch.Deleted?.map((d) => [d.VersionId, d.DeleteMarker])).toEqual([[marker.VersionId, true]]);
    expect(await (await c.send(new GetObjectCommand({ Bucket: vb, Key: "k" }))).Body!.transformToString()).toBe("one");

    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: vb, Key: "mp" }));
    const part = await c.send(new UploadPartCommand({ Bucket: vb, Key: "mp", UploadId, PartNumber: 1, Body: "parts" }));
    const done = await c.send(new CompleteMultipartUploadCommand({ Bucket: vb, Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(done.VersionId).toBeTruthy();
    expect((await c.send(new HeadObjectCommand({ Bucket: vb, Key: "mp" }))).VersionId).toBe(done.VersionId);
  });
});
