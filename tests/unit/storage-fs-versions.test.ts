// The fs storage backend: bucket versioning (states, versions, delete markers, the null
// version, listings with markers, copies and multipart uploads into versioned buckets).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, type FsBackend, type ObjectMetadata } from "../../lib/storage/index";
import { body, expectCode, read } from "./storage-fs-helpers";

let root: string;
let b: FsBackend;
const noMeta: ObjectMetadata = { userMetadata: {} };
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-versions-"));
  b = createFsBackend(root, { minPartSize: 1 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function bucket(state?: "Enabled" | "Suspended"): Promise<string> {
  const name = `ver-${++n}`;
  await b.createBucket(name);
  if (state) await b.putBucketVersioning(name, state);
  return name;
}
const put = (bk: string, key: string, text: string) => b.putObject(bk, key, body(text), noMeta);
const text = async (bk: string, key: string, versionId?: string) => (await read((await b.getObject(bk, key, undefined, versionId)).body)).toString();
const ids = async (bk: string, prefix?: string) =>
  (await b.listObjectVersions(bk, { prefix, maxKeys: 1000 })).versions.map((v) => [v.key, v.versionId, v.isLatest, v.deleteMarker]);

describe("versioning state", () => {
  it("is Unversioned until enabled, then Enabled and Suspended; NoSuchBucket for a missing bucket", async () => {
    const bk = await bucket();
    expect(await b.getBucketVersioning(bk)).toBe("Unversioned");
    await b.putBucketVersioning(bk, "Enabled");
    expect(await b.getBucketVersioning(bk)).toBe("Enabled");
    await b.putBucketVersioning(bk, "Suspended");
    expect(await b.getBucketVersioning(bk)).toBe("Suspended");
    await expectCode(b.getBucketVersioning("no-such-bucket"), "NoSuchBucket");
    await expectCode(b.putBucketVersioning("no-such-bucket", "Enabled"), "NoSuchBucket");
  });

  it("unversioned buckets report no version ids and refuse other ids than null", async () => {
    const bk = await bucket();
    const r = await put(bk, "a", "1");
    expect(r.versionId).toBeUndefined();
    expect((await b.headObject(bk, "a")).versionId).toBeUndefined();
    expect(await text(bk, "a", "null")).toBe("1");
    await expectCode(b.headObject(bk, "a", "0123456789abcdef01234567"), "InvalidArgument", 400);
    expect(await b.deleteObject(bk, "a")).toEqual({});
  });
});

describe("Enabled buckets", () => {
  it("keeps every version; GET without id reads the latest, with an id that version", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "k", "one");
    const v2 = await put(bk, "k", "two");
    expect(v1.versionId).toMatch(/^[0-9a-f]{24}$/);
    expect(v2.versionId! > v1.versionId!).toBe(true);
    expect(await text(bk, "k")).toBe("two");
    expect(await text(bk, "k", v1.versionId)).toBe("one");
    expect((await b.headObject(bk, "k")).versionId).toBe(v2.versionId);
    expect(await ids(bk)).toEqual([["k", v2.versionId, true, false], ["k", v1.versionId, false, false]]);
    await expectCode(b.getObject(bk, "k", undefined, "0123456789abcdef01234567"), "NoSuchVersion", 404);
    await expectCode(b.getObject(bk, "k", undefined, "not-an-id"), "InvalidArgument", 400);
  });

  it("DELETE without id adds a delete marker: the key is gone, its versions stay", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "k", "one");
    const del = await b.deleteObject(bk, "k");
    expect(del.deleteMarker).toBe(true);
    const err = await b.getObject(bk, "k").catch((e) => e);
    expect(err.code).toBe("NoSuchKey");
    expect(err.headers).toEqual({ "x-amz-delete-marker": "true", "x-amz-version-id": del.versionId });
    const byId = await b.headObject(bk, "k", del.versionId).catch((e) => e);
    expect([byId.code, byId.status]).toEqual(["MethodNotAllowed", 405]);
    expect(await text(bk, "k", v1.versionId)).toBe("one");
    expect((await b.listObjects(bk, { maxKeys: 10 })).objects).toEqual([]);
    expect(await ids(bk)).toEqual([["k", del.versionId, true, true], ["k", v1.versionId, false, false]]);
    // Deleting the marker brings the object back.
    expect(await b.deleteObject(bk, "k", del.versionId)).toEqual({ versionId: del.versionId, deleteMarker: true });
    expect(await text(bk, "k")).toBe("one");
  });

  it("DELETE with an id removes that version for good; the last one leaves no directories behind", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "dir/k", "one");
    const v2 = await put(bk, "dir/k", "two");
    expect(await b.deleteObject(bk, "dir/k", v2.versionId)).toEqual({ versionId: v2.versionId });
    expect(await text(bk, "dir/k")).toBe("one");
    await b.deleteObject(bk, "dir/k", v1.versionId);
    await expectCode(b.headObject(bk, "dir/k"), "NoSuchKey");
    expect(await readdir(join(root, "buckets", bk, "objects"))).toEqual([]);
    expect(await b.deleteObject(bk, "dir/k", v1.versionId)).toEqual({ versionId: v1.versionId }); // idempotent
    await b.deleteBucket(bk);
  });

  it("objects written before versioning stay readable as the null version", async () => {
    const bk = await bucket();
    await put(bk, "old", "before");
    await b.putBucketVersioning(bk, "Enabled");
    expect(await text(bk, "old")).toBe("before");
    expect((await b.headObject(bk, "old")).versionId).toBe("null");
    const v = await put(bk, "old", "after");
    expect(await text(bk, "old")).toBe("after");
    expect(await text(bk, "old", "null")).toBe("before");
    expect(await ids(bk)).toEqual([["old", v.versionId, true, false], ["old", "null", false, false]]);
  });

  it("concurrent writers of one key each keep their version", async () => {
    const bk = await bucket("Enabled");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => put(bk, "hot", `w${i}`)));
    const listed = (await b.listObjectVersions(bk, { maxKeys: 1000 })).versions;
    expect(listed.map((v) => v.versionId).sort()).toEqual(results.map((r) => r.versionId).sort());
    expect(await text(bk, "hot")).toBe(await text(bk, "hot", listed[0].versionId));
  });

  it("a bucket with versions or delete markers cannot be deleted", async () => {
    const bk = await bucket("Enabled");
    await put(bk, "k", "x");
    await b.deleteObject(bk, "k");
    await expectCode(b.deleteBucket(bk), "BucketNotEmpty");
  });
});

describe("Suspended buckets", () => {
  it("write and replace the null version; older versions stay", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "k", "one");
    await b.putBucketVersioning(bk, "Suspended");
    expect((await put(bk, "k", "null-1")).versionId).toBe("null");
    expect((await put(bk, "k", "null-2")).versionId).toBe("null");
    expect(await text(bk, "k")).toBe("null-2");
    expect(await ids(bk)).toEqual([["k", "null", true, false], ["k", v1.versionId, false, false]]);
    const del = await b.deleteObject(bk, "k");
    expect(del).toEqual({ versionId: "null", deleteMarker: true });
    await expectCode(b.getObject(bk, "k"), "NoSuchKey");
    expect(await ids(bk)).toEqual([["k", "null", true, true], ["k", v1.versionId, false, false]]);
    await b.putBucketVersioning(bk, "Enabled");
    const v3 = await put(bk, "k", "three");
    expect(await ids(bk)).toEqual([["k", v3.versionId, true, false], ["k", "null", false, true], ["k", v1.versionId, false, false]]);
  });
});

describe("ListObjectVersions and ListObjects", () => {
  it("pages by key-marker and version-id-marker, inside a key too, with prefix and delimiter", async () => {
    const bk = await bucket("Enabled");
    for (const key of ["a", "b/1", "b/2", "c"]) for (let i = 0; i < 3; i++) await put(bk, key, `${key}${i}`);
    const all = (await b.listObjectVersions(bk, { maxKeys: 1000 })).versions;
    expect(all.map((v) => v.key)).toEqual(["a", "a", "a", "b/1", "b/1", "b/1", "b/2", "b/2", "b/2", "c", "c", "c"]);
    const seen: string[] = [];
    let marker: { keyMarker?: string; versionIdMarker?: string } = {};
    for (let page = 0; page < 10; page++) {
      const r = await b.listObjectVersions(bk, { maxKeys: 5, ...marker });
      seen.push(...r.versions.map((v) => v.versionId));
      if (!r.isTruncated) break;
      marker = { keyMarker: r.nextKeyMarker, versionIdMarker: r.nextVersionIdMarker };
    }
    expect(seen).toEqual(all.map((v) => v.versionId));
    const grouped = await b.listObjectVersions(bk, { delimiter: "/", maxKeys: 4 });
    expect(grouped.versions.map((v) => v.key)).toEqual(["a", "a", "a"]);
    expect(grouped.commonPrefixes).toEqual(["b/"]);
    expect([grouped.isTruncated, grouped.nextKeyMarker, grouped.nextVersionIdMarker]).toEqual([true, "b/", undefined]);
    const rest = await b.listObjectVersions(bk, { delimiter: "/", maxKeys: 4, keyMarker: "b/" });
    expect(rest.versions.map((v) => v.key)).toEqual(["c", "c", "c"]);
    expect((await b.listObjectVersions(bk, { prefix: "b/", maxKeys: 1000 })).versions).toHaveLength(6);
  });

  it("ListObjects shows latest versions only, skips deleted keys and prefixes holding only deleted keys", async () => {
    const bk = await bucket("Enabled");
    await put(bk, "a", "a1");
    await put(bk, "a", "a2");
    await put(bk, "gone/x", "x");
    await b.deleteObject(bk, "gone/x");
    await put(bk, "live/y", "y");
    const flat = await b.listObjects(bk, { maxKeys: 1000 });
    expect(flat.objects.map((o) => [o.key, o.size])).toEqual([["a", 2], ["live/y", 1]]);
    const grouped = await b.listObjects(bk, { delimiter: "/", maxKeys: 1000 });
    expect([grouped.objects.map((o) => o.key), grouped.commonPrefixes]).toEqual([["a"], ["live/"]]);
    const first = await b.listObjects(bk, { maxKeys: 1 });
    expect([first.objects.map((o) => o.key), first.isTruncated, first.nextAfter]).toEqual([["a"], true, "a"]);
    const second = await b.listObjects(bk, { maxKeys: 1, after: "a" });
    expect([second.objects.map((o) => o.key), second.isTruncated]).toEqual([["live/y"], false]);
  });
});

describe("copies and multipart uploads", () => {
  it("copies a chosen version into a new version", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "src", "first");
    await put(bk, "src", "second");
    const copied = await b.copyObject({ bucket: bk, key: "src", versionId: v1.versionId }, { bucket: bk, key: "dst" }, null);
    expect(copied.versionId).toMatch(/^[0-9a-f]{24}$/);
    expect(await text(bk, "dst")).toBe("first");
  });

  it("completing an upload creates a new version; part copies read a chosen version", async () => {
    const bk = await bucket("Enabled");
    const v1 = await put(bk, "mp", "old-");
    const id = await b.createMultipartUpload(bk, "mp", noMeta);
    const p1 = await b.uploadPartCopy({ bucket: bk, key: "mp", versionId: v1.versionId }, bk, "mp", id, 1);
    const p2 = await b.uploadPart(bk, "mp", id, 2, body("new"));
    const done = await b.completeMultipartUpload(bk, "mp", id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }]);
    expect(done.versionId).toMatch(/^[0-9a-f]{24}$/);
    expect(await text(bk, "mp")).toBe("old-new");
    expect(await text(bk, "mp", v1.versionId)).toBe("old-");
  });
});
