// ListObjectVersions and ListObjects speed of the fs storage backend over many versions.
//   npx tsx tests/bench/storage-versions.ts [versions=100000] [perKey=10]   (or npm run bench -- storage-versions)
// Writes `versions` versions through the backend into a versioned bucket (versions/perKey keys
// "logs/day-017/evt-00042.json", perKey versions each; every 10th key then gets a delete marker
// as its latest), plus one key with `versions/10` versions of its own, then times pages (median
// of 5 after one warm-up): ListObjectVersions' first page, a deep page (key-marker 90% through
// the keys), a page resuming inside a key (key-marker + version-id-marker), prefix + delimiter,
// a page inside the key with many versions; ListObjects (latest versions) first page, deep page
// and prefix + delimiter.
// Each page is timed twice: "cold" on a new backend per run (nothing remembered in the process;
// the OS caches are warm, as on a busy server), and "warm" on one backend that listed the same
// page before (it remembers what it showed of each version, fs-versions-info.ts).
// KEYGATE_BENCH_DIR=<dir> keeps the filled root there and reuses it on the next run.
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createFsBackend, type FsBackend } from "../../lib/storage/index";

const total = Number(process.argv[2] ?? 100_000);
const perKey = Number(process.argv[3] ?? 10);
const keys = Math.max(1, Math.floor(total / perKey));
const hotVersions = Math.floor(total / 10);
const pad = (n: number, w: number) => String(n).padStart(w, "0");
const keyOf = (i: number) => `logs/day-${pad(i % 100, 3)}/evt-${pad(Math.floor(i / 100), 6)}.json`;

async function fill(b: FsBackend, jobs: { key: string }[]): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { key } = jobs[next++];
      await b.putObject("versions", key, Readable.from([Buffer.from(`version of ${key}`)]), { userMetadata: {} });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return performance.now() - t0;
}

type Page = (b: FsBackend) => Promise<number>;

async function median(runOnce: () => Promise<number>): Promise<{ ms: number; min: number; n: number }> {
  const runs: number[] = [];
  let n = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    n = await runOnce();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, c) => a - c);
  return { ms: runs[2], min: runs[0], n };
}

async function time(root: string, label: string, page: Page): Promise<void> {
  const warm = createFsBackend(root, { sweepIntervalMs: 0 });
  await page(warm); // warms the OS caches (and this backend) like a busy server would have them
  const cold = await median(async () => {
    const b = createFsBackend(root, { sweepIntervalMs: 0 });
    await b.ready;
    return page(b);
  });
  const hot = await median(() => page(warm));
  const fmt = (x: { ms: number; min: number }) => `${x.ms.toFixed(1).padStart(7)} ms (min ${x.min.toFixed(1)})`;
  console.log(`${label.padEnd(58)} cold ${fmt(cold)}   warm ${fmt(hot)}   ${cold.n} entries`);
}

async function main() {
  const keep = process.env.KEYGATE_BENCH_DIR;
  const root = keep ?? (await mkdtemp(join(tmpdir(), "keygate-bench-versions-")));
  try {
    if (keep) await mkdir(keep, { recursive: true });
    const b = createFsBackend(root);
    if (!(await stat(join(root, "buckets", "versions", "filled")).catch(() => null))) {
      await b.createBucket("versions");
      await b.putBucketVersioning("versions", "Enabled");
      // Round by round, so each key's versions are spread over time as in real use.
      const jobs = Array.from({ length: perKey }, () => Array.from({ length: keys }, (_, i) => ({ key: keyOf(i) }))).flat();
      console.log(`fill: ${((await fill(b, jobs)) / 1000).toFixed(1)} s for ${jobs.length} versions of ${keys} keys`);
      console.log(`fill: ${((await fill(b, Array.from({ length: hotVersions }, () => ({ key: "hot.json" })))) / 1000).toFixed(1)} s for ${hotVersions} versions of one key`);
      for (let i = 0; i < keys; i += 10) await b.deleteObject("versions", keyOf(i));
      console.log(`fill: a delete marker on every 10th key (${Math.ceil(keys / 10)})`);
      await mkdir(join(root, "buckets", "versions", "filled"));
    }

    const versions = (p: Parameters<FsBackend["listObjectVersions"]>[1]): Page => async (b) => {
      const r = await b.listObjectVersions("versions", p);
      return r.versions.length + r.commonPrefixes.length;
    };
    const latest = (p: Parameters<FsBackend["listObjects"]>[1]): Page => async (b) => {
      const r = await b.listObjects("versions", p);
      return r.objects.length + r.commonPrefixes.length;
    };
    const deepKey = keyOf(90 + 100 * Math.floor(keys / 200)); // "logs/day-090/evt-<half>": ~90.5% through the key order
    const inKey = (await b.listObjectVersions("versions", { prefix: deepKey, maxKeys: 1000 })).versions[perKey >> 1]?.versionId;
    const hot = (await b.listObjectVersions("versions", { prefix: "hot.json", maxKeys: 1000 })).versions;
    console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${cpus().length} CPUs`);
    await time(root, "ListObjectVersions first page (1000)", versions({ maxKeys: 1000 }));
    await time(root, `ListObjectVersions deep page, key-marker ${deepKey}`, versions({ maxKeys: 1000, keyMarker: deepKey }));
    await time(root, "ListObjectVersions deep page, resuming inside a key", versions({ maxKeys: 1000, keyMarker: deepKey, versionIdMarker: inKey }));
    await time(root, "ListObjectVersions prefix + delimiter (100 prefixes)", versions({ prefix: "logs/", delimiter: "/", maxKeys: 1000 }));
    await time(root, `ListObjectVersions inside the key with ${hotVersions} versions`, versions({ maxKeys: 1000, keyMarker: "hot.json", versionIdMarker: hot[500].versionId }));
    await time(root, "ListObjects (latest versions) first page (1000)", latest({ maxKeys: 1000 }));
    await time(root, `ListObjects (latest versions) deep page, after ${deepKey}`, latest({ maxKeys: 1000, after: deepKey }));
    await time(root, "ListObjects (latest versions) prefix + delimiter (100 prefixes)", latest({ prefix: "logs/", delimiter: "/", maxKeys: 1000 }));
  } finally {
    if (!keep) await rm(root, { recursive: true, force: true });
  }
}

void main();
