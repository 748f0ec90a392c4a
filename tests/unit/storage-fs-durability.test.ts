// Crash safety of the fs backend, at the system-call level: every file renamed into place must
// already be on disk (an fsync after its last write), and every rename is followed by an fsync of
// the target's directory before the call returns. The
// node:fs calls the backend makes are recorded (and passed on unchanged).
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type Op = { op: string; path?: string; to?: string; fd?: number };
const ops: Op[] = [];

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const paths = new Map<number, string>();
  type Cb = (err: NodeJS.ErrnoException | null, ...rest: unknown[]) => void;
  // Records the call, and its result where it tells something (the fd an open returned).
  const wrap = (name: string, record: (args: unknown[], result: unknown[]) => Op | null) =>
    (...args: unknown[]) => {
      const cb = args.pop() as Cb;
      (real as unknown as Record<string, (...a: unknown[]) => void>)[name](...args, (err: NodeJS.ErrnoException | null, ...rest: unknown[]) => {
        if (!err) {
          const op = record(args, rest);
          if (op) ops.push(op);
        }
        cb(err, ...rest);
      });
    };
  const onFd = (op: string) => wrap(op, ([fd]) => ({ op, fd: fd as number, path: paths.get(fd as number) }));
  const mod = {
    ...real,
    open: wrap("open", ([path], [fd]) => {
      paths.set(fd as number, String(path));
      return { op: "open", path: String(path), fd: fd as number };
    }),
    write: onFd("write"),
    writev: onFd("writev"),
    fsync: onFd("fsync"),
    rename: wrap("rename", ([from, to]) => ({ op: "rename", path: String(from), to: String(to) })),
  };
  return { ...mod, default: mod };
});

const { createFsBackend } = await import("../../lib/storage/index");

let root: string;
let b: Awaited<ReturnType<typeof createFsBackend>>;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-durable-"));
  b = createFsBackend(root);
  await b.createBucket("bkt");
});
afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * Checks the recorded calls of one operation: each file renamed was durable before its rename,
 * and each rename's directory was fsynced afterwards. Returns how many renames it checked.
 */
function checkDurable(recorded: Op[]) {
  let renames = 0;
  for (const [i, r] of recorded.entries()) {
    if (r.op !== "rename") continue;
    renames++;
    const before = recorded.slice(0, i).filter((o) => o.path === r.path);
    const opened = before.findLast((o) => o.op === "open");
    expect(opened, `${r.path} renamed without being written here`).toBeDefined();
    const since = before.slice(before.indexOf(opened!));
    const lastWrite = since.findLastIndex((o) => o.op === "write" || o.op === "writev");
    const synced = since.findLastIndex((o) => o.op === "fsync");
    expect(lastWrite, `${r.path}: never written`).toBeGreaterThanOrEqual(0);
    expect(synced, `${r.path}: no fsync after its last write`).toBeGreaterThan(lastWrite);
    const dirSynced = recorded.slice(i + 1).some((o) => o.op === "fsync" && o.path === dirname(r.to!));
    expect(dirSynced, `${r.to}: its directory was not fsynced after the rename`).toBe(true);
  }
  return renames;
}

async function recording(fn: () => Promise<unknown>) {
  ops.length = 0;
  await fn();
  return checkDurable([...ops]);
}

describe("fs backend durability", () => {
  it("small, empty and large PUTs", async () => {
    const small = await recording(() => b.putObject("bkt", "a/small", Readable.from([randomBytes(4096)]), { userMetadata: {} }, 4096));
    expect(small).toBe(1);
    const empty = await recording(() => b.putObject("bkt", "empty", Readable.from([]), { userMetadata: {} }, 0));
    expect(empty).toBe(1);
    const big = randomBytes(3 * 1024 * 1024 + 5);
    const large = await recording(() => b.putObject("bkt", "a/large", Readable.from([big.subarray(0, 100_000), big.subarray(100_000)]), { userMetadata: {} }));
    expect(large).toBe(1);
    const got = await b.getObject("bkt", "a/large");
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(c as Buffer);
    expect(createHash("md5").update(Buffer.concat(chunks)).digest("hex")).toBe(createHash("md5").update(big).digest("hex"));
  });

  it("multipart parts, their completion and copies are durable too", async () => {
    const id = await b.createMultipartUpload("bkt", "mp", { userMetadata: {} });
    const part1 = randomBytes(5 * 1024 * 1024);
    const parts = await recording(async () => {
      const p1 = await b.uploadPart("bkt", "mp", id, 1, Readable.from([part1]), part1.length);
      const p2 = await b.uploadPart("bkt", "mp", id, 2, Readable.from([Buffer.from("tail")]), 4);
      await b.completeMultipartUpload("bkt", "mp", id, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }]);
    });
    expect(parts).toBeGreaterThanOrEqual(3);
    const copy = await recording(() => b.copyObject({ bucket: "bkt", key: "a/small" }, { bucket: "bkt", key: "copied" }, null));
    expect(copy).toBe(1);
  });
});
