// ListObjectVersions speed of the fs storage backend over many versions.
//   npx tsx tests/bench/storage-versions.ts [versions=100000] [perKey=10]
// Writes `versions` versions through the backend into a versioned bucket (versions/perKey keys
// "logs/day-017/evt-00042.json", perKey versions each), plus one key with `versions/10`
// versions of its own, then times ListObjectVersions pages (median of 5 after one warm-up):
// the first page, a deep page (key-marker 90% through the keys), a page resuming inside a key
// (key-marker + version-id-marker), a page inside the key with many versions, and the
// ListObjects page of the same bucket (latest versions only).
// KEYGATE_BENCH_DIR=<dir> keeps the filled root there and reuses it on the next run.
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
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

async function time(label: string, run: () => Promise<number>): Promise<void> {
  await run(); // warm the dentry cache like a busy server would have it
  const runs: number[] = [];
  let n = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    n = await run();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, c) => a - c);
  console.log(`${label.padEnd(64)} ${runs[2].toFixed(1).padStart(7)} ms median (min ${runs[0].toFixed(1)}), ${n} entries`);
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
      await mkdir(join(root, "buckets", "versions", "filled"));
    }

    const page = (p: Parameters<FsBackend["listObjectVersions"]>[1]) => async () => {
      const r = await b.listObjectVersions("versions", p);
      return r.versions.length + r.commonPrefixes.length;
    };
    const deepKey = keyOf(90 + 100 * Math.floor(keys / 200)); // "logs/day-090/evt-<half>": ~90.5% through the key order
    const inKey = (await b.listObjectVersions("versions", { prefix: deepKey, maxKeys: 1000 })).versions[perKey >> 1]?.versionId;
    const hot = (await b.listObjectVersions("versions", { prefix: "hot.json", maxKeys: 1000 })).versions;
    await time("ListObjectVersions first page (1000)", page({ maxKeys: 1000 }));
    await time(`ListObjectVersions deep page, key-marker ${deepKey}`, page({ maxKeys: 1000, keyMarker: deepKey }));
    await time("ListObjectVersions deep page, resuming inside a key", page({ maxKeys: 1000, keyMarker: deepKey, versionIdMarker: inKey }));
    await time("ListObjectVersions prefix + delimiter (100 prefixes)", page({ prefix: "logs/", delimiter: "/", maxKeys: 1000 }));
    await time(`ListObjectVersions inside the key with ${hotVersions} versions`, page({ maxKeys: 1000, keyMarker: "hot.json", versionIdMarker: hot[500].versionId }));
    await time("ListObjects (latest versions) first page (1000)", async () => (await b.listObjects("versions", { maxKeys: 1000 })).objects.length);
  } finally {
    if (!keep) await rm(root, { recursive: true, force: true });
  }
}

void main();
