// The fs storage backend: objects and atomicity. Real directories under os.tmpdir().
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Readable, Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, StorageError, type FsBackend, type ObjectMetadata } from "../../lib/storage/index";
import { body, expectCode, md5, read } from "./storage-fs-helpers";

let root: string;
let b: FsBackend;
const noMeta: ObjectMetadata = { userMetadata: {} };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-objects-"));
  b = createFsBackend(root);
  await b.createBucket("bkt");
});
afterAll(() => rm(root, { recursive: true, force: true }));

const getText = async (key: string, bucket = "bkt") => (await read((await b.getObject(bucket, key)).body)).toString();

/** Every file below root, relative; used to prove nothing leaks out of the bucket or stays in .tmp. */
async function files(dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(relative(root, p));
  }
  return out;
}

/** A body in 4 KiB chunks that yields to the event loop between chunks, so writers interleave. */
async function* slowBody(data: Buffer) {
  for (let i = 0; i < data.length; i += 4096) {
    await new Promise((r) => setImmediate(r));
    yield data.subarray(i, i + 4096);
  }
}

/** A body that sends some bytes and then fails, like a client disconnect or a failed checksum. */
function failingBody(prefix: string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.from(prefix));
      } else this.destroy(new Error("client went away"));
    },
  });
}

const weirdKeys: [string, string][] = [
  ["plain", "hello.txt"],
  ["dot-dot", ".."],
  ["dot", "."],
  ["dot-slash", "./"],
  ["traversal", "../../../../etc/passwd"],
  ["inner traversal", "a/../../b"],
  ["leading slash", "/leading"],
  ["trailing slash", "trailing/"],
  ["double slash", "//"],
  ["slashes inside", "a//b///c"],
  ["only slashes, 1024", "/".repeat(1024)],
  ["unicode", "ünï/日本語/🎉.txt"],
  ["NFC", "caf\u00e9"],
  ["NFD (distinct from NFC)", "cafe\u0301"],
  ["case A", "CaseKey"],
  ["case a (distinct on case-insensitive fs)", "casekey"],
  ["spaces and percent", "with space/100%25 done%2F"],
  ["backslash", "back\\slash\\..\\x"],
  ["control chars and NUL", "nul\u0000byte\u0001\u007f"],
  ["single segment > 255 bytes", "x".repeat(300)],
  ["multibyte segment > 255 bytes", "é".repeat(200)],
  ["exactly 120/121 byte segments", `${"a".repeat(120)}/${"b".repeat(121)}`],
  ["1024 bytes, multibyte", "日".repeat(341) + "a"],
];

describe("fs backend: objects", { timeout: 30_000 }, () => {
  it.each(weirdKeys)("round-trips key: %s", { timeout: 30_000 }, async (_name, key) => {
    const data = `data for ${JSON.stringify(key)}`;
    const put = await b.putObject("bkt", key, body(data), noMeta);
    expect(put).toMatchObject({ etag: md5(data), size: Buffer.byteLength(data) });
    expect(await getText(key)).toBe(data);
    const head = await b.headObject("bkt", key);
    expect(head).toMatchObject({ key, size: Buffer.byteLength(data), etag: md5(data) });
    const listed = await b.listObjects("bkt", { prefix: key, maxKeys: 1 });
    expect(listed.objects[0]?.key).toBe(key);
  });

  it("keeps distinct keys distinct and everything inside the bucket directory", async () => {
    for (const [, key] of weirdKeys) expect(await getText(key)).toBe(`data for ${JSON.stringify(key)}`);
    for (const f of await files()) expect(f.startsWith(join("buckets", "bkt", "objects"))).toBe(true);
  });

  it("rejects keys over 1024 bytes with KeyTooLongError (400)", async () => {
    await expectCode(b.putObject("bkt", "日".repeat(342), body("x"), noMeta), "KeyTooLongError", 400);
    await expectCode(b.putObject("bkt", "a".repeat(1025), body("x"), noMeta), "KeyTooLongError", 400);
    await expectCode(b.headObject("bkt", "a".repeat(1025)), "KeyTooLongError", 400);
  });

  it("round-trips all metadata fields and user metadata", async () => {
    const metadata: ObjectMetadata = {
      contentType: "text/plain; charset=utf-8", contentEncoding: "gzip", contentDisposition: 'attachment; filename="ü.txt"',
      contentLanguage: "de-CH", cacheControl: "max-age=60", expires: "Wed, 21 Oct 2037 07:28:00 GMT",
      userMetadata: { "a-b": "c", unicode: "ünï", empty: "" },
    };
    const put = await b.putObject("bkt", "meta", body("m"), metadata);
    const head = await b.headObject("bkt", "meta");
    expect(head.metadata).toEqual(metadata);
    expect(head.lastModified.getTime()).toBe(put.lastModified.getTime());
    const { info, body: stream } = await b.getObject("bkt", "meta");
    stream.destroy();
    expect(info.metadata).toEqual(metadata);
    const listed = await b.listObjects("bkt", { prefix: "meta", maxKeys: 10 });
    expect(listed.objects[0]).toMatchObject({ key: "meta", size: 1, etag: md5("m") });
  });

  it("streams a multi-chunk body and computes the MD5 ETag over all of it", async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const all = Buffer.concat(chunks);
    const put = await b.putObject("bkt", "big", body(...chunks), noMeta, all.length);
    expect(put).toMatchObject({ etag: md5(all), size: all.length });
    expect((await read((await b.getObject("bkt", "big")).body)).equals(all)).toBe(true);
  });

  it("serves inclusive ranges and refuses ranges outside the object", async () => {
    await b.putObject("bkt", "range", body("0123456789"), noMeta);
    const get = async (start: number, end: number) => {
      const r = await b.getObject("bkt", "range", { start, end });
      expect(r.info.size).toBe(10); // the object's size, not the range's
      return (await read(r.body)).toString();
    };
    expect(await get(0, 0)).toBe("0");
    expect(await get(2, 5)).toBe("2345");
    expect(await get(9, 9)).toBe("9");
    expect(await get(0, 9)).toBe("0123456789");
    await expectCode(b.getObject("bkt", "range", { start: 5, end: 10 }), "InvalidRange", 416);
    await expectCode(b.getObject("bkt", "range", { start: 6, end: 5 }), "InvalidRange", 416);
  });

  it("handles empty objects", async () => {
    const put = await b.putObject("bkt", "empty", body(), noMeta);
    expect(put).toMatchObject({ size: 0, etag: md5("") });
    expect(await getText("empty")).toBe("");
  });

  it("overwrites, and a reader that already opened the old version keeps reading it", async () => {
    await b.putObject("bkt", "ow", body("old version"), noMeta);
    const { body: oldStream } = await b.getObject("bkt", "ow");
    await b.putObject("bkt", "ow", body("new"), { userMetadata: { v: "2" } });
    expect((await read(oldStream)).toString()).toBe("old version");
    expect(await getText("ow")).toBe("new");
    expect((await b.headObject("bkt", "ow")).metadata.userMetadata).toEqual({ v: "2" });
  });

  it("concurrent writers of one key: the result is exactly one of them, whole", async () => {
    const versions = Array.from({ length: 20 }, (_, i) => `writer ${i} `.repeat(2000 + i * 37));
    const results = await Promise.all(versions.map((v) => b.putObject("bkt", "contended", Readable.from(slowBody(Buffer.from(v))), noMeta)));
    const final = await getText("contended");
    expect(versions).toContain(final);
    const head = await b.headObject("bkt", "contended");
    expect(head.etag).toBe(md5(final));
    expect(results.map((r) => r.etag)).toContain(head.etag);
    expect((await readdir(join(root, ".tmp"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("a body that errors mid-stream leaves the old object intact and no temp file", async () => {
    await b.putObject("bkt", "keep", body("original"), { userMetadata: { v: "1" } });
    await expect(b.putObject("bkt", "keep", failingBody("partial new data"), noMeta)).rejects.toThrow("client went away");
    const verifier = new Transform({
      transform(chunk, _enc, cb) {
        cb(null, chunk);
      },
      flush(cb) {
        cb(new StorageError("BadDigest", "The Content-MD5 you specified did not match what we received."));
      },
    });
    const failing = body("all of the new data").pipe(verifier);
    await expectCode(b.putObject("bkt", "keep", failing, noMeta), "BadDigest");
    await expect(b.putObject("bkt", "new-key", failingBody("x"), noMeta)).rejects.toThrow();
    expect(await getText("keep")).toBe("original");
    expect((await b.headObject("bkt", "keep")).metadata.userMetadata).toEqual({ v: "1" });
    await expectCode(b.headObject("bkt", "new-key"), "NoSuchKey");
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
  });

  it("refuses a body shorter or longer than the announced size", async () => {
    await expectCode(b.putObject("bkt", "sized", body("12345"), noMeta, 6), "IncompleteBody", 400);
    await expectCode(b.putObject("bkt", "sized", body("12345"), noMeta, 4), "IncompleteBody", 400);
    await expectCode(b.headObject("bkt", "sized"), "NoSuchKey");
  });

  it("deletes idempotently and prunes emptied directories", async () => {
    await b.putObject("bkt", "dir1/dir2/leaf", body("x"), noMeta);
    await b.deleteObject("bkt", "dir1/dir2/leaf");
    await b.deleteObject("bkt", "dir1/dir2/leaf");
    await b.deleteObject("bkt", "never/existed");
    await expectCode(b.headObject("bkt", "dir1/dir2/leaf"), "NoSuchKey", 404);
    const top = await readdir(join(root, "buckets", "bkt", "objects"));
    expect(top).not.toContain("d646972312f"); // "dir1/"
  });

  it("copies with the source's metadata or replaced metadata, also onto itself", async () => {
    await b.putObject("bkt", "src", body("copy me"), { contentType: "text/x-src", userMetadata: { from: "src" } });
    await b.createBucket("other");
    const c1 = await b.copyObject({ bucket: "bkt", key: "src" }, { bucket: "other", key: "dst" }, null);
    expect(c1.etag).toBe(md5("copy me"));
    expect(await getText("dst", "other")).toBe("copy me");
    expect((await b.headObject("other", "dst")).metadata).toEqual({ contentType: "text/x-src", userMetadata: { from: "src" } });
    await b.copyObject({ bucket: "bkt", key: "src" }, { bucket: "bkt", key: "src" }, { userMetadata: { replaced: "yes" } });
    expect(await getText("src")).toBe("copy me");
    expect((await b.headObject("bkt", "src")).metadata).toEqual({ userMetadata: { replaced: "yes" } });
    await expectCode(b.copyObject({ bucket: "bkt", key: "nope" }, { bucket: "bkt", key: "x" }, null), "NoSuchKey");
    await expectCode(b.copyObject({ bucket: "bkt", key: "src" }, { bucket: "missing", key: "x" }, null), "NoSuchBucket");
  });

  it("answers NoSuchBucket for object operations on a missing bucket", async () => {
    await expectCode(b.putObject("missing", "k", body("x"), noMeta), "NoSuchBucket", 404);
    await expectCode(b.headObject("missing", "k"), "NoSuchBucket");
    await expectCode(b.getObject("missing", "k"), "NoSuchBucket");
    await expectCode(b.deleteObject("missing", "k"), "NoSuchBucket");
    await expectCode(b.listObjects("missing", { maxKeys: 10 }), "NoSuchBucket");
    await expectCode(b.headObject("bkt", "missing-key"), "NoSuchKey", 404);
  });

  it("refuses bucket names that could be paths", async () => {
    for (const name of ["..", ".", "a/b", "../bkt", "", "bkt/..", "a".repeat(64), "UPPER"]) {
      await expectCode(b.createBucket(name), "InvalidBucketName", 400);
      expect(await b.bucketExists(name)).toBe(false);
    }
  });
});
