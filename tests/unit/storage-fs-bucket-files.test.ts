// The fs backend's bucket settings cache (lib/storage/fs-bucket-files.ts): a write must see a
// settings change made by another process at once, although the file is only re-read when the
// bucket directory's times changed.
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBucketFile } from "../../lib/storage/fs-bucket-files";
import { layoutOf } from "../../lib/storage/fs-paths";
import { createFsBackend, type FsBackend } from "../../lib/storage/index";
import { body, expectCode } from "./storage-fs-helpers";

let root: string;
let b: FsBackend;
const ctx = () => ({ layout: layoutOf(root), ready: Promise.resolve() });
const settings = (bucket: string) => join(root, "buckets", bucket, "settings-test");
/** How another process replaces a settings file: temp file, then rename into the bucket directory. */
async function replaceAsOtherProcess(file: string, text: string) {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}
/** The cache keeps only reads of a bucket directory unchanged for QUIET_MS (2 s). */
const quiet = () => new Promise((r) => setTimeout(r, 2100));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-bucket-files-"));
  b = createFsBackend(root);
  await b.createBucket("one");
  await b.createBucket("two");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("bucket settings files", () => {
  it("are served from the cache while the bucket directory is unchanged, re-read after a rename into it", async () => {
    await replaceAsOtherProcess(settings("one"), "first");
    await quiet();
    expect(await readBucketFile(ctx(), "one", "settings-test")).toBe("first");
    // Written in place (which the contract forbids), the change is invisible: proof the cache answers.
    await writeFile(settings("one"), "in place");
    expect(await readBucketFile(ctx(), "one", "settings-test")).toBe("first");
    await replaceAsOtherProcess(settings("one"), "renamed");
    expect(await readBucketFile(ctx(), "one", "settings-test")).toBe("renamed");
    await rm(settings("one"));
    expect(await readBucketFile(ctx(), "one", "settings-test")).toBeNull();
  }, 10_000);

  it("a write sees versioning enabled by another process at once", async () => {
    await quiet();
    expect((await b.putObject("two", "k", body("a"), { userMetadata: {} })).versionId).toBeUndefined();
    await replaceAsOtherProcess(join(root, "buckets", "two", "versioning"), "Enabled");
    const put = await b.putObject("two", "k", body("b"), { userMetadata: {} });
    expect(put.versionId).toMatch(/^[0-9a-f]{24}$/);
  }, 10_000);

  it("a missing bucket is NoSuchBucket, for the read and for a write", async () => {
    await expectCode(readBucketFile(ctx(), "missing", "versioning"), "NoSuchBucket");
    await expectCode(b.putObject("missing", "k", body("a"), { userMetadata: {} }), "NoSuchBucket");
  });
});
