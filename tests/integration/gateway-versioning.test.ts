// Bucket versioning through the real gateway, every operation with the AWS SDK: versioning
// state, versions, delete markers, the null version, ListObjectVersions paging, copies and
// multipart uploads into versioned buckets, and deletion of buckets that still hold versions.
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand,
  DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand,
  ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand, type S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let client: S3Client;
let buckets: string[];

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["v1", "v2", "v3", "v4", "plain"]);
  buckets = seeded.buckets;
  client = s3(gw, await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" }));
});
afterAll(async () => {
  client?.destroy();
  await gw?.stop();
});

const failure = (p: Promise<unknown>) =>
  p.then(() => "OK", (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`);
const put = (Bucket: string, Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket, Key, Body }));
const get = async (Bucket: string, Key: string, VersionId?: string) =>
  (await client.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
const enable = (Bucket: string, Status: "Enabled" | "Suspended" = "Enabled") =>
  client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

describe("versioning through the gateway (AWS SDK)", () => {
  it("Put/GetBucketVersioning: no status, Enabled, Suspended; malformed configurations refused", async () => {
    const [bucket] = buckets;
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await enable(bucket);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    await enable(bucket, "Suspended");
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Suspended");
    await enable(bucket);
    const bad = client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "On" as "Enabled" } }));
    expect(await failure(bad)).toBe("MalformedXML 400");
  });

  it("PUT, GET, HEAD and DELETE with version ids and delete markers", async () => {
    const bucket = buckets[0];
    const v1 = await put(bucket, "doc.txt", "one");
    const v2 = await put(bucket, "doc.txt", "two");
    expect(v1.VersionId).toMatch(/^[0-9a-f]{24}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await get(bucket, "doc.txt")).toBe("two");
    expect(await get(bucket, "doc.txt", v1.VersionId)).toBe("one");
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: v1.VersionId }));
    expect([head.VersionId, head.ContentLength]).toEqual([v1.VersionId, 3]);
    expect((await client.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt" }))).VersionId).toBe(v2.VersionId);

    const del = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "doc.txt" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toMatch(/^[0-9a-f]{24}$/);
    const gone = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt" })).catch((e) => e);
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(["NoSuchKey", 404]);
    expect(gone.$response.headers["x-amz-delete-marker"]).toBe("true");
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: del.VersionId })))).toBe("MethodNotAllowed 405");
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: del.VersionId })))).toMatch(/ 405$/); // HEAD: no body, no code
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: "0123456789abcdef01234567" })))).toBe("NoSuchVersion 404");
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: "bogus" })))).toBe("InvalidArgument 400");
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "doc" }))).KeyCount).toBe(0);

    const removed = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: del.VersionId }));
    expect([removed.DeleteMarker, removed.VersionId]).toEqual([true, del.VersionId]);
    expect(await get(bucket, "doc.txt")).toBe("two");
    const dropped = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: v2.VersionId }));
    expect([dropped.DeleteMarker, dropped.VersionId]).toEqual([undefined, v2.VersionId]);
    expect(await get(bucket, "doc.txt")).toBe("one");
  });

  it("ListObjectVersions: versions and delete markers, prefix, delimiter, and paging with both markers", async () => {
    const bucket = buckets[1];
    await enable(bucket);
    for (const key of ["a.txt", "dir/x", "dir/y", "z.txt"]) {
      await put(bucket, key, `${key}-1`);
      await put(bucket, key, `${key}-2`);
    }
    const marker = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "z.txt" }));
    const all = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(all.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([
      ["a.txt", true], ["a.txt", false], ["dir/x", true], ["dir/x", false], ["dir/y", true], ["dir/y", false], ["z.txt", false], ["z.txt", false],
    ]);
    expect(all.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([["z.txt", marker.VersionId, true]]);
    expect(all.IsTruncated).toBe(false);

    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 3, KeyMarker, VersionIdMarker }));
      seen.push(...[...(r.Versions ?? []), ...(r.DeleteMarkers ?? [])].map((v) => `${v.Key}@${v.VersionId}`));
      if (!r.IsTruncated) break;
      [KeyMarker, VersionIdMarker] = [r.NextKeyMarker, r.NextVersionIdMarker];
      expect(KeyMarker).toBeTruthy();
    }
    expect(new Set(seen).size).toBe(9);

    const grouped = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: "/" }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["dir/"]);
    expect(grouped.Versions?.map((v) => v.Key)).toEqual(["a.txt", "a.txt", "z.txt", "z.txt"]);
    const prefixed = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "dir/y" }));
    expect(prefixed.Versions?.map((v) => v.Key)).toEqual(["dir/y", "dir/y"]);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["a.txt", "dir/x", "dir/y"]);
  });

  it("CopyObject from a chosen source version; multipart uploads create versions", async () => {
    const bucket = buckets[2];
    await enable(bucket);
    const old = await put(bucket, "src", "old source");
    await put(bucket, "src", "new source");
    const copy = await client.send(new CopyObjectCommand({ Bucket: bucket, Key: "dst", CopySource: `${bucket}/src?versionId=${old.VersionId}` }));
    expect(copy.CopySourceVersionId).toBe(old.VersionId);
    expect(copy.VersionId).toMatch(/^[0-9a-f]{24}$/);
    expect(await get(bucket, "dst")).toBe("old source");
    // Copying an older version onto its own key restores it as the newest version.
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: "src", CopySource: `${bucket}/src?versionId=${old.VersionId}` }));
    expect(await get(bucket, "src")).toBe("old source");

    const first = await put(bucket, "big", "before");
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "big" }));
    const part = await client.send(new UploadPartCommand({ Bucket: bucket, Key: "big", UploadId, PartNumber: 1, Body: "multipart body" }));
    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "big", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(done.VersionId).toMatch(/^[0-9a-f]{24}$/);
    expect(await get(bucket, "big")).toBe("multipart body");
    expect(await get(bucket, "big", first.VersionId)).toBe("before");
  });

  it("DeleteObjects with and without version ids reports markers and removed versions", async () => {
    const bucket = buckets[2];
    const a = await put(bucket, "batch-a", "a");
    await put(bucket, "batch-b", "b");
    const r = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "batch-a", VersionId: a.VersionId }, { Key: "batch-b" }] } }));
    const byKey = Object.fromEntries((r.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey["batch-a"]).toMatchObject({ VersionId: a.VersionId });
    expect(byKey["batch-a"].DeleteMarker).toBeUndefined();
    expect(byKey["batch-b"]).toMatchObject({ DeleteMarker: true });
    expect(byKey["batch-b"].DeleteMarkerVersionId).toMatch(/^[0-9a-f]{24}$/);
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: "batch-a" })))).toBe("NotFound 404");
    // Removing that marker by its version id: reported as a marker, with its id, as S3 does.
    const marker = byKey["batch-b"].DeleteMarkerVersionId!;
    const undo = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "batch-b", VersionId: marker }] } }));
    expect(undo.Deleted).toEqual([{ Key: "batch-b", VersionId: marker, DeleteMarker: true, DeleteMarkerVersionId: marker }]);
    expect(await get(bucket, "batch-b")).toBe("b");
  });

  it("Suspended buckets write the null version; objects from before versioning stay readable", async () => {
    const bucket = buckets[3];
    await put(bucket, "legacy", "written unversioned");
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: "legacy" }))).VersionId).toBeUndefined();
    await enable(bucket);
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: "legacy" }))).VersionId).toBe("null");
    const v = await put(bucket, "legacy", "versioned");
    await enable(bucket, "Suspended");
    expect((await put(bucket, "legacy", "suspended")).VersionId).toBe("null");
    expect(await get(bucket, "legacy")).toBe("suspended");
    expect(await get(bucket, "legacy", v.VersionId)).toBe("versioned");
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((x) => x.VersionId)).toEqual(["null", v.VersionId]); // the old null version was replaced
  });

  it("a bucket that still holds versions or delete markers cannot be deleted", async () => {
    const bucket = buckets[3];
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "legacy", VersionId: "null" }));
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket: bucket })))).toBe("BucketNotEmpty 409");
    const left = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    for (const v of left.Versions ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket: bucket })))).toBe("OK");
  });

  it("unversioned buckets answer as before: no version headers, only the null id", async () => {
    const bucket = buckets[4];
    const r = await put(bucket, "k", "v");
    expect(r.VersionId).toBeUndefined();
    expect(await get(bucket, "k", "null")).toBe("v");
    expect(await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: "0123456789abcdef01234567" })))).toBe("InvalidArgument 400");
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([["k", "null", true]]);
  });
});
