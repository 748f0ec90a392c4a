// Listing speed of the fs storage backend at scale.
//   npx tsx tests/bench/storage-list.ts [count=100000]
// Creates `count` small objects through the backend (parallel batches) in two buckets with
// different key shapes, then times typical ListObjects pages (median of 5 after one warm-up, so
// the OS dentry/page cache is warm as on a busy server). Prints one line per measurement.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createFsBackend, type FsBackend, type ListObjectsParams } from "../../lib/storage/index";

const count = Number(process.argv[2] ?? 100_000);
const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** "logs/day-017/evt-00042.json": 100 directories of count/100 objects. */
const nestedKey = (i: number) => `logs/day-${pad(i % 100, 3)}/evt-${pad(Math.floor(i / 100), 6)}.json`;
/** "obj-0004217": every key in one directory, the worst case for this layout. */
const flatKey = (i: number) => `obj-${pad(i, 7)}`;

async function fill(b: FsBackend, bucket: string, keyOf: (i: number) => string): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await b.putObject(bucket, keyOf(i), Readable.from([Buffer.from(`object ${i}`)]), { userMetadata: {} });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return performance.now() - t0;
}

async function time(b: FsBackend, bucket: string, label: string, params: ListObjectsParams): Promise<void> {
  label = `${b === uncached ? "[no dir cache] " : ""}${label}`;
  await b.listObjects(bucket, params); // warm the dentry cache like a busy server would have it
  const runs: number[] = [];
  let n = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const page = await b.listObjects(bucket, params);
    runs.push(performance.now() - t0);
    n = page.objects.length + page.commonPrefixes.length;
  }
  runs.sort((a, c) => a - c);
  console.log(`${label.padEnd(58)} ${runs[2].toFixed(1).padStart(7)} ms median (min ${runs[0].toFixed(1)}), ${n} entries`);
}

let uncached: FsBackend | undefined;

async function main() {
  const root = await mkdtemp(join(tmpdir(), "keygate-bench-"));
  try {
    const b = createFsBackend(root);
    await b.createBucket("nested");
    await b.createBucket("flat");
    console.log(`fill nested: ${((await fill(b, "nested", nestedKey)) / 1000).toFixed(1)} s for ${count} objects`);
    console.log(`fill flat:   ${((await fill(b, "flat", flatKey)) / 1000).toFixed(1)} s for ${count} objects`);
    uncached = createFsBackend(root, { listCache: false });
    await new Promise((r) => setTimeout(r, 2500)); // let the directories settle so the cache may trust them
    const deepNested = `logs/day-090/evt-${pad(Math.floor(count / 200), 6)}.json`; // ~90.5% through the key order
    await time(b, "nested", "nested: first page (1000, no delimiter)", { maxKeys: 1000 });
    await time(b, "nested", `nested: deep page (after ${deepNested})`, { maxKeys: 1000, after: deepNested });
    await time(b, "nested", "nested: prefix logs/ + delimiter / (100 prefixes)", { maxKeys: 1000, prefix: "logs/", delimiter: "/" });
    await time(b, "nested", "nested: prefix logs/day-042/ + delimiter /", { maxKeys: 1000, prefix: "logs/day-042/", delimiter: "/" });
    await time(b, "flat", "flat: first page (1000)", { maxKeys: 1000 });
    await time(b, "flat", `flat: deep page (after ${flatKey(Math.floor(count * 0.9))})`, { maxKeys: 1000, after: flatKey(Math.floor(count * 0.9)) });
    await time(b, "flat", "flat: prefix obj-00500 + delimiter /", { maxKeys: 1000, prefix: "obj-00500", delimiter: "/" });
    await time(b, "flat", "flat: delimiter 0 (rolls everything up)", { maxKeys: 1000, delimiter: "0" });
    await time(uncached, "flat", "flat: first page (1000)", { maxKeys: 1000 });
    await time(uncached, "flat", `flat: deep page (after ${flatKey(Math.floor(count * 0.9))})`, { maxKeys: 1000, after: flatKey(Math.floor(count * 0.9)) });
    await time(uncached, "nested", "nested: first page (1000, no delimiter)", { maxKeys: 1000 });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
