// fs backend: bucket lifecycle and the temp-file sweep.
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, type FsBackend, type ObjectMetadata } from "../../lib/storage/index";
import { body, expectCode, read } from "./storage-fs-helpers";

let root: string;
let b: FsBackend;
const noMeta: ObjectMetadata = { userMetadata: {} };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-buckets-"));
  b = createFsBackend(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const getText = async (key: string, bucket: string) => (await read((await b.getObject(bucket, key)).body)).toString();

describe("fs backend: buckets", { timeout: 30_000 }, () => {
  it("creates, detects, and refuses duplicates", async () => {
    expect(await b.bucketExists("fresh")).toBe(false);
    await b.createBucket("fresh");
    expect(await b.bucketExists("fresh")).toBe(true);
    await expectCode(b.createBucket("fresh"), "BucketAlreadyOwnedByYou", 409);
  });

  it("creates a bucket with Object Lock: lock configuration and versioning Enabled from the start", async () => {
    await b.createBucket("plain");
    expect(await b.getObjectLockConfiguration("plain")).toEqual({ enabled: false });
    await b.createBucket("locked", { objectLock: true });
    expect(await b.getObjectLockConfiguration("locked")).toEqual({ enabled: true });
    expect(await b.getBucketVersioning("locked")).toBe("Enabled");
    await expectCode(b.createBucket("locked", { objectLock: true }), "BucketAlreadyOwnedByYou", 409);
    await expectCode(b.getObjectLockConfiguration("absent"), "NoSuchBucket", 404);
  });

  it("deletes only empty buckets", async () => {
    await b.createBucket("to-delete");
    await b.putObject("to-delete", "a/b/c", body("x"), noMeta);
    await expectCode(b.deleteBucket("to-delete"), "BucketNotEmpty", 409);
    expect(await getText("a/b/c", "to-delete")).toBe("x");
    await b.deleteObject("to-delete", "a/b/c");
    const id = await b.createMultipartUpload("to-delete", "upload", noMeta);
    await expectCode(b.deleteBucket("to-delete"), "BucketNotEmpty", 409);
    await b.abortMultipartUpload("to-delete", "upload", id);
    await b.deleteBucket("to-delete");
    expect(await b.bucketExists("to-delete")).toBe(false);
    await expectCode(b.deleteBucket("to-delete"), "NoSuchBucket", 404);
    await b.createBucket("to-delete"); // the name is free again
    expect((await b.listObjects("to-delete", { maxKeys: 10 })).objects).toEqual([]);
  });

  it("ignores leftover empty directories when deleting a bucket", async () => {
    await b.createBucket("leftovers");
    // As left behind when a prune lost a race with a writer that then failed.
    await mkdir(join(root, "buckets", "leftovers", "objects", "d612f2f2f", "d622f2f2f"), { recursive: true });
    await b.deleteBucket("leftovers");
    expect(await b.bucketExists("leftovers")).toBe(false);
  });
});

describe("fs backend: temp files", { timeout: 30_000 }, () => {
  it("sweeps temp leftovers older than the limit at start, and keeps fresh ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keygate-fs-sweep-"));
    try {
      const first = createFsBackend(dir);
      await first.ready;
      const old = join(dir, ".tmp", "abc.123.tmp");
      const fresh = join(dir, ".tmp", "def.456.tmp");
      await writeFile(old, "crashed writer");
      await writeFile(fresh, "active writer");
      const past = new Date(Date.now() - 2 * 60 * 60_000);
      await utimes(old, past, past);
      const second = createFsBackend(dir);
      await second.ready;
      expect(await readdir(join(dir, ".tmp"))).toEqual(["def.456.tmp"]);
      expect(await second.sweepTemp(0)).toBe(1);
      await expect(stat(fresh)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
