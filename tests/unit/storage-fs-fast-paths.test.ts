// The fs backend's short paths: small objects served from the read that parses the header,
// small bodies written in one go, directory fsyncs shared between concurrent writers. Each must
// give exactly what the general path gives.
import { randomBytes } from "node:crypto";
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
