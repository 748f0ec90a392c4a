// ListObjects of the fs storage backend against a plain reference implementation of S3's
// rules (byte order, prefix, delimiter roll-up counted in maxKeys, exclusive `after`).
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirCache } from "../../lib/storage/fs-dircache";
import { readSortedDir } from "../../lib/storage/fs-list";
import { createFsBackend, type FsBackend, type ListObjectsParams, type ListObjectsResult } from "../../lib/storage/index";

let root: string;
let b: FsBackend;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-list-"));
  b = createFsBackend(root);
});
afterAll(() => rm(root, { recursive: true, force: true }), 120_000);

const byBytes = (a: string, c: string) => Buffer.compare(Buffer.from(a), Buffer.from(c));

/** S3's listing rules, written the obvious way over a key array. */
function reference(keys: string[], p: ListObjectsParams): ListObjectsResult & { entries: string[] } {
  const prefix = p.prefix ?? "";
  const entries: { value: string; prefix: boolean }[] = [];
  for (const k of [...keys].sort(byBytes)) {
    if (!k.startsWith(prefix)) continue;
    const i = p.delimiter ? k.indexOf(p.delimiter, prefix.length) : -1;
    const value = i >= 0 ? k.slice(0, i + p.delimiter!.length) : k;
    // A group (or key) at or before the marker was already returned.
    if (p.after !== undefined && byBytes(value, p.after) <= 0) continue;
    if (entries.at(-1)?.value === value) continue;
    entries.push({ value, prefix: i >= 0 });
  }
  const page = entries.slice(0, p.maxKeys);
  const isTruncated = entries.length > page.length;
  return {
    entries: page.map((e) => e.value),
    objects: [], // compared by key below
    commonPrefixes: page.filter((e) => e.prefix).map((e) => e.value),
    isTruncated,
    nextAfter: isTruncated ? page.at(-1)?.value : undefined,
  };
}

async function putAll(bucket: string, keys: string[], parallel = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++];
      await b.putObject(bucket, key, Readable.from([Buffer.from(key)]), { userMetadata: {} });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function check(bucket: string, keys: string[], p: ListObjectsParams): Promise<ListObjectsResult> {
  const got = await b.listObjects(bucket, p);
  const want = reference(keys, p);
  const ctx = JSON.stringify(p);
  expect(got.objects.map((o) => o.key), ctx).toEqual(want.entries.filter((e) => !want.commonPrefixes.includes(e)));
  expect(got.commonPrefixes, ctx).toEqual(want.commonPrefixes);
  expect(got.isTruncated, ctx).toBe(want.isTruncated);
  expect(got.nextAfter, ctx).toBe(want.nextAfter);
  for (const o of got.objects) expect(o.size, ctx).toBe(Buffer.byteLength(o.key));
  return got;
}

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function randomKeys(rand: () => number, n: number): string[] {
  const alphabet = ["a", "b", "/", "/", "-", "0", ".", "é", "日", "~", "😀", "\u0000", "A"];
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const keys = new Set<string>(["a", "a/", "a//", "/", "//a", "a/b", "a-b", "a0", "ab", "a/b/c", "é/", "\u0000"]);
  // Around the 120-byte chunk boundary and the 4-byte minimum "/" cut.
  for (const len of [118, 119, 120, 121, 122, 239, 240, 241]) {
    keys.add(`${"k".repeat(len)}/x`).add("k".repeat(len)).add(`${"k".repeat(len)}a`).add(`${"k".repeat(len)}-`);
  }
  while (keys.size < n) {
    const base = rand() < 0.3 ? [...pick([...keys])].slice(0, Math.floor(rand() * 20)).join("") : ""; // by code point
    let k = base;
    const len = 1 + Math.floor(rand() * (rand() < 0.1 ? 150 : 10));
    for (let i = 0; i < len; i++) k += pick(alphabet);
    if (Buffer.byteLength(k) <= 1024) keys.add(k);
  }
  return [...keys];
}

describe("fs backend: listing semantics", { timeout: 30_000 }, () => {
  const rand = rng(42);
  const keys = randomKeys(rand, 500);

  beforeAll(async () => {
    await b.createBucket("random");
    await putAll("random", keys);
  }, 60_000);

  it("lists everything in UTF-8 byte order", async () => {
    await check("random", keys, { maxKeys: 1000 });
  });

  it("matches the reference for random prefix/delimiter/after/maxKeys combinations", { timeout: 60_000 }, async () => {
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const someKey = () => pick(keys);
    const cut = (s: string) => [...s].slice(0, Math.floor(rand() * ([...s].length + 1))).join("");
    for (let i = 0; i < 400; i++) {
      const prefix = pick([undefined, "", "a", "a/", "k", "kkkkkkkkkk", cut(someKey()), cut(someKey()), "zz"]);
      const delimiter = pick([undefined, undefined, "/", "/", "-", "a", "é", "//", "/a", "k"]);
      const after = pick([undefined, undefined, someKey(), cut(someKey()), "a/", "a", "", "\u0000", "😀😀"]);
      const maxKeys = pick([1, 2, 3, 7, 50, 1000]);
      await check("random", keys, { prefix, delimiter, after, maxKeys });
    }
  });

  it("paginates through nextAfter to exactly the reference sequence", { timeout: 60_000 }, async () => {
    for (const [prefix, delimiter] of [[undefined, undefined], [undefined, "/"], ["a", "/"], ["", "-"], ["k", "k"], ["a/", "/"]] as const) {
      const all = reference(keys, { prefix, delimiter, maxKeys: 100_000 }).entries;
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await check("random", keys, { prefix, delimiter, after, maxKeys: 7 });
        seen.push(...[...page.objects.map((o) => o.key), ...page.commonPrefixes].sort(byBytes));
        if (!page.isTruncated) break;
        after = page.nextAfter;
      }
      expect(seen).toEqual(all);
    }
  });

  it("answers maxKeys 0 with an empty untruncated page", async () => {
    expect(await b.listObjects("random", { maxKeys: 0 })).toEqual({ objects: [], commonPrefixes: [], isTruncated: false });
  });

  it("never lists temp files, uploads, or stray files", async () => {
    await b.createBucket("clean");
    await putAll("clean", ["one", "two/three"]);
    await b.createMultipartUpload("clean", "in-progress", { userMetadata: {} });
    await writeFile(join(root, "buckets", "clean", "objects", ".DS_Store"), "junk");
    await writeFile(join(root, ".tmp", "abc.1.tmp"), "half an object");
    await check("clean", ["one", "two/three"], { maxKeys: 1000 });
    await check("clean", ["one", "two/three"], { maxKeys: 1000, delimiter: "/" });
  });
});

describe("fs backend: directory cache", { timeout: 30_000 }, () => {
  it("reuses a settled directory's listing and notices any later change", async () => {
    await b.createBucket("cached");
    const keys = Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(3, "0")}`);
    await putAll("cached", keys);
    const dir = join(root, "buckets", "cached", "objects");
    const past = new Date(Date.now() - 60_000);
    await utimes(dir, past, past); // as if the last change were a minute ago
    const cache = new DirCache({ minEntries: 10 });
    let loads = 0;
    const read = () => cache.read(dir, () => (loads++, readSortedDir(dir)));
    expect((await read()).length).toBe(50);
    expect((await read()).length).toBe(50);
    expect(loads).toBe(1);
    await b.putObject("cached", "k999", Readable.from(["x"]), { userMetadata: {} });
    expect((await read()).length).toBe(51);
    expect(loads).toBe(2);
    await b.deleteObject("cached", "k000");
    expect((await read()).length).toBe(50);
    expect(loads).toBe(3);
    expect((await read()).length).toBe(50);
    expect(loads).toBe(4); // just changed: not trusted yet, read again
  });
});

describe("fs backend: listing at scale (20k objects; 100k in tests/bench/storage-list.ts)", { timeout: 30_000 }, () => {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const keys = [
    ...Array.from({ length: 10_000 }, (_, i) => `n/d${pad(i % 50, 2)}/e${pad(Math.floor(i / 50), 5)}`),
    ...Array.from({ length: 10_000 }, (_, i) => `f-${pad(i, 5)}`),
  ];
  const sorted = [...keys].sort(byBytes);

  beforeAll(async () => {
    await b.createBucket("big");
    await putAll("big", keys, 64);
  }, 180_000);

  it("serves first, deep and prefix+delimiter pages quickly and correctly", { timeout: 30_000 }, async () => {
    const timed = async (p: ListObjectsParams) => {
      const t0 = performance.now();
      const r = await check("big", keys, p);
      return { r, ms: performance.now() - t0 };
    };
    const first = await timed({ maxKeys: 1000 });
    expect(first.r.objects[999].key).toBe(sorted[999]);
    const deep = await timed({ maxKeys: 1000, after: sorted[18_000] });
    expect(deep.r.objects[0].key).toBe(sorted[18_001]);
    const grouped = await timed({ maxKeys: 1000, prefix: "n/", delimiter: "/" });
    expect(grouped.r.commonPrefixes).toHaveLength(50);
    const flatDeep = await timed({ maxKeys: 1000, prefix: "f-", after: "f-09000" });
    expect(flatDeep.r.objects).toHaveLength(999);
    // Generous bounds: CI machines are slow and shared; the bench script has real figures.
    for (const t of [first, deep, grouped, flatDeep]) expect(t.ms).toBeLessThan(3000);
  });

  it("paginates the whole bucket in order", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await b.listObjects("big", { maxKeys: 1000, after });
      seen.push(...page.objects.map((o) => o.key));
      after = page.isTruncated ? page.nextAfter : undefined;
    } while (after !== undefined);
    expect(seen).toEqual(sorted);
  }, 60_000);

  it("keeps flat keys in one directory and nested keys in per-prefix directories", async () => {
    const objects = join(root, "buckets", "big", "objects");
    const top = await readdir(objects);
    expect(top.filter((n) => n.startsWith("f"))).toHaveLength(10_000);
    expect(top.filter((n) => n.startsWith("d")).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `d${Buffer.from(`n/d${pad(i, 2)}/`).toString("hex")}`), // "n/" alone is below the 4-byte minimum cut
    );
  });
});
