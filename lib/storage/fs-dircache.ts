// Sorted listings of large object directories, reused while the directory is unchanged.
// A flat bucket (no "/" in keys) keeps all its keys in one directory; re-reading and sorting
// 100k names costs ~100 ms per page, a stat costs microseconds.
//
// Validity: adding, removing or renaming an entry sets the directory's mtime to "now". We stat
// *before* reading and only cache when that mtime was already SAFE_AGE_MS old, so any later
// change - by this process or another one sharing the root - gets a different mtime, even
// with coarse file system clocks (a few ms). The assumption is that the file system's clock
// follows ours within SAFE_AGE_MS (true for local file systems; pass listCache: false for
// network file systems with skewed servers).
import fsp from "node:fs/promises";
import type { Label } from "./fs-paths";
import { errCode } from "./fs-write";

type Entry = { ino: bigint; mtimeNs: bigint; ctimeNs: bigint; labels: Label[] };

export type DirCacheOptions = { safeAgeMs?: number; minEntries?: number; maxLabels?: number };

export class DirCache {
  private entries = new Map<string, Entry>(); // insertion order = LRU order
  private total = 0;
  private readonly safeAgeMs: number;
  private readonly minEntries: number;
  private readonly maxLabels: number;

  constructor(opts: DirCacheOptions = {}) {
    this.safeAgeMs = opts.safeAgeMs ?? 2000;
    this.minEntries = opts.minEntries ?? 1000;
    this.maxLabels = opts.maxLabels ?? 500_000;
  }

  /** The directory's sorted labels, from `load` or from the cache when provably current. */
  async read(dir: string, load: () => Promise<Label[]>): Promise<Label[]> {
    const now = Date.now();
    const st = await fsp.stat(dir, { bigint: true }).catch((err) => (errCode(err) === "ENOENT" ? null : Promise.reject(err)));
    if (!st) return [];
    const hit = this.entries.get(dir);
    if (hit && hit.ino === st.ino && hit.mtimeNs === st.mtimeNs && hit.ctimeNs === st.ctimeNs) {
      this.entries.delete(dir);
      this.entries.set(dir, hit);
      return hit.labels;
    }
    const labels = await load();
    this.drop(dir);
    const settled = Number(st.mtimeMs) < now - this.safeAgeMs;
    if (settled && labels.length >= this.minEntries && labels.length <= this.maxLabels) {
      this.entries.set(dir, { ino: st.ino, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, labels });
      this.total += labels.length;
      this.evict();
    }
    return labels;
  }

  private drop(dir: string): void {
    const old = this.entries.get(dir);
    if (!old) return;
    this.total -= old.labels.length;
    this.entries.delete(dir);
  }

  private evict(): void {
    for (const dir of this.entries.keys()) {
      if (this.total <= this.maxLabels) return;
      this.drop(dir);
    }
  }
}
