// kill -9 in the middle of writes: a child process writes through the fs backend (one slow
// large object, one key overwritten in a tight loop, one multipart part) and is SIGKILLed.
// Afterwards no partial object may be visible, old versions stay intact, listings stay clean.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, StorageError, type FsBackend } from "../../lib/storage/index";

let work: string;
let root: string;
let b: FsBackend;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "keygate-fs-crash-"));
  root = join(work, "data");
  b = createFsBackend(root);
  await b.createBucket("crash");
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Version i of the looped key: 256 KiB whose every byte says which version it is. */
const version = (i: number) => Buffer.alloc(256 * 1024, i % 251);

const childSource = (backendUrl: string, rootDir: string, uploadId: string) => `
import { createFsBackend } from ${JSON.stringify(backendUrl)};
const b = createFsBackend(${JSON.stringify(rootDir)});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// 64 KiB every 5 ms, for far longer than the test waits: always mid-write when killed.
async function* slow(fill) {
  for (let i = 0; i < 100000; i++) {
    yield Buffer.alloc(64 * 1024, fill);
    if (i === 16) process.stdout.write("SLOW-STARTED\\n");
    await sleep(5);
  }
}
b.putObject("crash", "big/old", slow(0x6e), { userMetadata: { v: "new" } });
b.putObject("crash", "big/fresh", slow(0x66), { userMetadata: {} });
b.uploadPart("crash", "mp", ${JSON.stringify(uploadId)}, 2, slow(0x70));
let n = 0;
for (;;) {
  await b.putObject("crash", "looped", [Buffer.alloc(256 * 1024, (n + 1) % 251)], { userMetadata: { n: String(n + 1) } });
  n++;
  if (n === 5) process.stdout.write("LOOP-RUNNING\\n");
}
`;

async function runAndKill(script: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  await new Promise<void>((done, fail) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("SLOW-STARTED") && out.includes("LOOP-RUNNING")) done();
    });
    child.on("exit", (code) => fail(new Error(`child exited early (${code}): ${err}`)));
  });
  await new Promise((r) => setTimeout(r, 150 + Math.random() * 100)); // land somewhere random in the loop
  const exited = new Promise((r) => child.on("exit", (_code, signal) => r(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

const md5 = (d: Buffer) => `"${createHash("md5").update(d).digest("hex")}"`;

async function read(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("fs backend: crash safety", { timeout: 30_000 }, () => {
  it("survives SIGKILL mid-write with only whole objects visible", { timeout: 90_000 }, async () => {
    const oldData = Buffer.from("the old version, which must survive");
    await b.putObject("crash", "big/old", Readable.from([oldData]), { userMetadata: { v: "old" } });
    await b.putObject("crash", "looped", Readable.from([version(0)]), { userMetadata: { n: "0" } });
    const uploadId = await b.createMultipartUpload("crash", "mp", { userMetadata: {} });
    const part1 = await b.uploadPart("crash", "mp", uploadId, 1, Readable.from([Buffer.from("part one")]));

    const script = join(work, "child.mts");
    const backendUrl = pathToFileURL(resolve("lib/storage/index.ts")).href;
    await writeFile(script, childSource(backendUrl, root, uploadId));
    await runAndKill(script);

    // The killed writers left temp files behind: proof the kill landed mid-write.
    expect((await readdir(join(root, ".tmp"))).length).toBeGreaterThan(0);

    const after = createFsBackend(root);
    const old = await after.getObject("crash", "big/old");
    expect((await read(old.body)).equals(oldData)).toBe(true);
    expect(old.info.metadata.userMetadata).toEqual({ v: "old" });
    const fresh = await after.headObject("crash", "big/fresh").catch((e: unknown) => e);
    expect((fresh as StorageError).code).toBe("NoSuchKey");

    // The looped key holds one complete version whose metadata and ETag belong to it.
    const looped = await after.getObject("crash", "looped");
    const data = await read(looped.body);
    const n = Number(looped.info.metadata.userMetadata.n);
    expect(n).toBeGreaterThanOrEqual(5);
    expect(data.equals(version(n))).toBe(true);
    expect(looped.info.etag).toBe(md5(data));

    const parts = await after.listParts("crash", "mp", uploadId, { maxParts: 10 });
    expect(parts.parts.map((p) => [p.partNumber, p.etag])).toEqual([[1, part1.etag]]);

    const listing = await after.listObjects("crash", { maxKeys: 1000 });
    expect(listing.objects.map((o) => o.key)).toEqual(["big/old", "looped"]);
    expect(listing.objects[0].size).toBe(oldData.length);

    // Sweeping (at start it only takes leftovers older than an hour) cleans the rest.
    expect(await after.sweepTemp(0)).toBeGreaterThan(0);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
    expect((await after.listObjects("crash", { maxKeys: 1000 })).objects.map((o) => o.key)).toEqual(["big/old", "looped"]);
  });
});
