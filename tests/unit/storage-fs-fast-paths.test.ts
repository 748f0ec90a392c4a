// The fs backend's short paths: small objects served from the read that parses the header,
// small bodies written in one go, directory fsyncs shared between concurrent writers. Each must
// give exactly what the general path gives.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, type FsBackend } from "../../lib/storage/index";

let root: string;
let b: FsBackend;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-fast-"));
  b = createFsBackend(root);
  await b.createBucket("bkt");
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function read(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("fs backend fast paths", () => {
  it("hands a small object's bytes over in memory, identical to its stream, ranges included", async () => {
    const data = randomBytes(4096);
    await b.putObject("bkt", "dir/small", Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { userMetadata: { a: "b" } });
    const got = await b.getObject("bkt", "dir/small");
    expect(got.data?.equals(data)).toBe(true);
    expect((await read(got.body)).equals(data)).toBe(true);
    const ranged = await b.getObject("bkt", "dir/small", { start: 10, end: 4095 });
    expect(ranged.data?.equals(data.subarray(10))).toBe(true);
    expect(got.info.size).toBe(4096);
  });

  it("writes bodies of several MiB in batches (uneven chunks, batch boundaries crossed) byte for byte, with their MD5", async () => {
    const data = randomBytes(5 * 1024 * 1024 + 12345);
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < data.length; at += n, n = (n * 7919) % 300_000 + 1) chunks.push(data.subarray(at, at + n));
    const put = await b.putObject("bkt", "big/batched", Readable.from(chunks), { userMetadata: {} });
    expect(put.etag).toBe(`"${createHash("md5").update(data).digest("hex")}"`);
    const got = await b.getObject("bkt", "big/batched");
    expect((await read(got.body)).equals(data)).toBe(true);
  });

  it("takes a verified MD5 as the ETag without hashing again; a failing body commits nothing", async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const md5 = createHash("md5").update(data).digest();
    const put = await b.putObject("bkt", "big/md5", Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), { userMetadata: {} }, undefined, md5);
    expect(put.etag).toBe(`"${md5.toString("hex")}"`);
    expect((await b.headObject("bkt", "big/md5")).etag).toBe(put.etag);
    // The caller's verifier errors the stream before its end on a mismatch: nothing is committed.
    const failing = new Readable({ read() {} });
    failing.push(data.subarray(0, 3 * 1024 * 1024 - 1));
    setTimeout(() => failing.destroy(new Error("BadDigest")), 20);
    await expect(b.putObject("bkt", "big/md5", failing, { userMetadata: {} }, undefined, md5)).rejects.toThrow("BadDigest");
    const after = await b.getObject("bkt", "big/md5");
    expect((await read(after.body)).equals(data)).toBe(true);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
  });

  it("streams objects larger than the first read, written across many chunks", async () => {
    const data = randomBytes(300 * 1024);
    const chunks = Array.from({ length: 30 }, (_, i) => data.subarray(i * 10240, (i + 1) * 10240));
    const put = await b.putObject("bkt", "big", Readable.from(chunks), { userMetadata: {} }, data.length);
    expect(put.size).toBe(data.length);
    const got = await b.getObject("bkt", "big");
    expect(got.data).toBeUndefined();
    expect((await read(got.body)).equals(data)).toBe(true);
    expect((await read((await b.getObject("bkt", "big", { start: 70000, end: 70009 })).body)).equals(data.subarray(70000, 70010))).toBe(true);
  });

  it("keeps the size check for gathered bodies and leaves no temp file behind", async () => {
    const err = await b.putObject("bkt", "short", Readable.from([Buffer.alloc(10)]), { userMetadata: {} }, 11).catch((e: Error) => e);
    expect((err as { code?: string }).code).toBe("IncompleteBody");
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
  });

  it("completes many concurrent writes into one directory, each readable afterwards", async () => {
    const datas = Array.from({ length: 40 }, () => randomBytes(512));
    await Promise.all(datas.map((d, i) => b.putObject("bkt", `many/${i}`, Readable.from([d]), { userMetadata: {} })));
    for (const [i, d] of datas.entries()) expect((await b.getObject("bkt", `many/${i}`)).data?.equals(d)).toBe(true);
  });
});
