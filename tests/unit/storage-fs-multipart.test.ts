// Multipart uploads of the fs storage backend (min part size lowered to 1 KiB).
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, StorageError, type FsBackend } from "../../lib/storage/index";

const MIN = 1024;
let root: string;
let b: FsBackend;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-mpu-"));
  b = createFsBackend(root, { minPartSize: MIN });
  await b.createBucket("mpu");
});
afterAll(() => rm(root, { recursive: true, force: true }));

const md5 = (d: Buffer) => createHash("md5").update(d).digest();
const body = (d: Buffer | string) => Readable.from([Buffer.from(d)]);
const part = (n: number, size = MIN) => Buffer.alloc(size, n);

async function read(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function expectCode(p: Promise<unknown>, code: string, status?: number) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, `expected ${code}`).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
  if (status !== undefined) expect((err as StorageError).status).toBe(status);
}

async function upload(key: string, parts: Buffer[]) {
  const id = await b.createMultipartUpload("mpu", key, { contentType: "application/x-test", userMetadata: { via: "mpu" } });
  const etags = [];
  for (const [i, p] of parts.entries()) etags.push({ partNumber: i + 1, etag: (await b.uploadPart("mpu", key, id, i + 1, body(p))).etag });
  return { id, etags };
}

describe("fs backend: multipart uploads", { timeout: 30_000 }, () => {
  it("assembles parts, with the S3 multipart ETag and the upload's metadata", async () => {
    const parts = [part(1), part(2), part(3, 10)];
    const { id, etags } = await upload("assembled/obj", parts);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const done = await b.completeMultipartUpload("mpu", "assembled/obj", id, etags);
    const expected = `"${createHash("md5").update(Buffer.concat(parts.map(md5))).digest("hex")}-3"`;
    expect(done).toMatchObject({ etag: expected, size: 2 * MIN + 10 });
    const { info, body: data } = await b.getObject("mpu", "assembled/obj");
    expect(info).toMatchObject({ etag: expected, size: 2 * MIN + 10, metadata: { contentType: "application/x-test", userMetadata: { via: "mpu" } } });
    expect((await read(data)).equals(Buffer.concat(parts))).toBe(true);
    await expectCode(b.listParts("mpu", "assembled/obj", id, { maxParts: 10 }), "NoSuchUpload", 404);
    expect(await readdir(join(root, "buckets", "mpu", "uploads"))).toEqual([]);
  });

  it("accepts unquoted ETags, a subset of parts, and a single small part", async () => {
    const { id, etags } = await upload("subset", [part(1), part(2), part(3)]);
    const chosen = [etags[0], { partNumber: 3, etag: etags[2].etag.replaceAll('"', "") }];
    const done = await b.completeMultipartUpload("mpu", "subset", id, chosen);
    expect(done.size).toBe(2 * MIN);
    expect((await read((await b.getObject("mpu", "subset")).body)).equals(Buffer.concat([part(1), part(3)]))).toBe(true);
    const single = await upload("single", [Buffer.from("tiny")]);
    await b.completeMultipartUpload("mpu", "single", single.id, single.etags);
    expect((await read((await b.getObject("mpu", "single")).body)).toString()).toBe("tiny");
  });

  it("re-uploading a part replaces it", async () => {
    const { id } = await upload("replace", [part(1)]);
    const second = await b.uploadPart("mpu", "replace", id, 1, body(part(9)));
    const parts = await b.listParts("mpu", "replace", id, { maxParts: 10 });
    expect(parts.parts).toHaveLength(1);
    expect(parts.parts[0]).toMatchObject({ partNumber: 1, etag: second.etag, size: MIN });
    await b.completeMultipartUpload("mpu", "replace", id, [{ partNumber: 1, etag: second.etag }]);
    expect((await read((await b.getObject("mpu", "replace")).body)).equals(part(9))).toBe(true);
  });

  it("copies parts from objects, whole or by range", async () => {
    await b.putObject("mpu", "copy-src", body("0123456789".repeat(200)), { userMetadata: {} });
    const id = await b.createMultipartUpload("mpu", "copied", { userMetadata: {} });
    const p1 = await b.uploadPartCopy({ bucket: "mpu", key: "copy-src" }, "mpu", "copied", id, 1);
    const p2 = await b.uploadPartCopy({ bucket: "mpu", key: "copy-src", range: { start: 3, end: 6 } }, "mpu", "copied", id, 2);
    expect(p2).toMatchObject({ size: 4, etag: `"${md5(Buffer.from("3456")).toString("hex")}"` });
    await expectCode(b.uploadPartCopy({ bucket: "mpu", key: "copy-src", range: { start: 0, end: 2000 } }, "mpu", "copied", id, 3), "InvalidRange");
    await expectCode(b.uploadPartCopy({ bucket: "mpu", key: "missing" }, "mpu", "copied", id, 3), "NoSuchKey");
    await b.completeMultipartUpload("mpu", "copied", id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }]);
    expect((await read((await b.getObject("mpu", "copied")).body)).toString()).toBe("0123456789".repeat(200) + "3456");
  });

  it("validates the part list: order, existence, ETags, sizes", async () => {
    const { id, etags } = await upload("invalid", [part(1), part(2, 100), part(3)]);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, [etags[1], etags[0]]), "InvalidPartOrder", 400);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, [etags[0], etags[0]]), "InvalidPartOrder", 400);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, [etags[0], { partNumber: 4, etag: etags[0].etag }]), "InvalidPart", 400);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, [etags[0], { partNumber: 3, etag: etags[0].etag }]), "InvalidPart", 400);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, etags), "EntityTooSmall", 400);
    await expectCode(b.completeMultipartUpload("mpu", "invalid", id, []), "MalformedXML", 400);
    // Nothing was consumed by the failures: the upload still completes.
    await b.completeMultipartUpload("mpu", "invalid", id, [etags[0], etags[1]]);
    expect((await b.headObject("mpu", "invalid")).size).toBe(MIN + 100);
  });

  it("refuses part numbers outside 1..10000 and unknown or mismatched uploads", async () => {
    const { id } = await upload("numbers", []);
    await expectCode(b.uploadPart("mpu", "numbers", id, 0, body("x")), "InvalidArgument", 400);
    await expectCode(b.uploadPart("mpu", "numbers", id, 10001, body("x")), "InvalidArgument", 400);
    await b.uploadPart("mpu", "numbers", id, 10000, body("x"));
    await expectCode(b.uploadPart("mpu", "other-key", id, 1, body("x")), "NoSuchUpload", 404);
    await expectCode(b.uploadPart("mpu", "numbers", "AAAAAAAAAAAAAAAAAAAAAA", 1, body("x")), "NoSuchUpload", 404);
    await expectCode(b.uploadPart("mpu", "numbers", "../../../etc", 1, body("x")), "NoSuchUpload", 404);
    await expectCode(b.completeMultipartUpload("mpu", "numbers", "nope", []), "NoSuchUpload", 404);
    await expectCode(b.uploadPart("missing-bucket", "numbers", id, 1, body("x")), "NoSuchBucket", 404);
  });

  it("aborts: parts gone, later calls NoSuchUpload, no residue", async () => {
    const { id } = await upload("aborted", [part(1), part(2)]);
    await b.abortMultipartUpload("mpu", "aborted", id);
    await expectCode(b.abortMultipartUpload("mpu", "aborted", id), "NoSuchUpload", 404);
    await expectCode(b.uploadPart("mpu", "aborted", id, 3, body("x")), "NoSuchUpload");
    await expectCode(b.headObject("mpu", "aborted"), "NoSuchKey");
    expect((await b.listMultipartUploads("mpu", { maxUploads: 1000 })).map((u) => u.uploadId)).not.toContain(id);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
  });

  it("lists parts paginated by part number", async () => {
    const id = await b.createMultipartUpload("mpu", "many-parts", { userMetadata: {} });
    for (const n of [1, 2, 3, 5, 8, 13, 21]) await b.uploadPart("mpu", "many-parts", id, n, body(`part ${n}`));
    const page1 = await b.listParts("mpu", "many-parts", id, { maxParts: 3 });
    expect(page1.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(page1.isTruncated).toBe(true);
    const page2 = await b.listParts("mpu", "many-parts", id, { after: 3, maxParts: 3 });
    expect(page2.parts.map((p) => p.partNumber)).toEqual([5, 8, 13]);
    const page3 = await b.listParts("mpu", "many-parts", id, { after: 13, maxParts: 3 });
    expect(page3).toMatchObject({ isTruncated: false });
    expect(page3.parts.map((p) => p.partNumber)).toEqual([21]);
    expect(page3.parts[0]).toMatchObject({ size: 7, etag: `"${md5(Buffer.from("part 21")).toString("hex")}"` });
    await b.abortMultipartUpload("mpu", "many-parts", id);
  });

  it("lists uploads by prefix in key order, and never as objects", async () => {
    await b.createBucket("uploads");
    const ids = new Map<string, string>();
    for (const key of ["b/2", "a/1", "b/1", "é", "b/1"]) ids.set(`${key}#${ids.size}`, await b.createMultipartUpload("uploads", key, { userMetadata: {} }));
    const all = await b.listMultipartUploads("uploads", { maxUploads: 1000 });
    expect(all.map((u) => u.key)).toEqual(["a/1", "b/1", "b/1", "b/2", "é"]);
    expect(new Set(all.map((u) => u.uploadId)).size).toBe(5);
    for (const u of all) expect(u.initiated).toBeInstanceOf(Date);
    expect((await b.listMultipartUploads("uploads", { prefix: "b/", maxUploads: 1000 })).map((u) => u.key)).toEqual(["b/1", "b/1", "b/2"]);
    expect(await b.listMultipartUploads("uploads", { prefix: "b/", maxUploads: 2 })).toHaveLength(2);
    expect(await b.listObjects("uploads", { maxKeys: 1000 })).toMatchObject({ objects: [], commonPrefixes: [] });
    await expectCode(b.listMultipartUploads("missing-bucket", { maxUploads: 10 }), "NoSuchBucket");
  });
});
