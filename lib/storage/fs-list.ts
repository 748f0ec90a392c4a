// ListObjects for the fs backend: an in-order depth-first walk of the label tree (see
// fs-paths.ts). Keys are compared as hex strings, which orders exactly like their UTF-8 bytes.
// The walk starts in the deepest directory the prefix determines, skips every subtree that
// lies entirely at or before the lower bound (`after`, or a common prefix just rolled up) without
// reading it, and stops at the first entry past the prefix. A page therefore reads the
// directories along the bound's path plus those holding the page's entries.
import fsp from "node:fs/promises";
import { join } from "node:path";
import type { DirCache } from "./fs-dircache";
import { infoOf, readHeaderAt } from "./fs-format";
import { MAX_LABEL_BYTES, MIN_LABEL_BYTES, hexToKey, labelName, parseLabelName, prefixDirLabels, type Label } from "./fs-paths";
import { errCode } from "./fs-write";
import type { ListObjectsParams, ListObjectsResult, ObjectInfo } from "./types";

export const MAX_LIST_KEYS = 1000;

/** Entries of one directory in key order: by label bytes, a file before a directory with the same label. */
export async function readSortedDir(dir: string): Promise<Label[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return []; // pruned meanwhile
    throw err;
  }
  const labels: Label[] = [];
  for (const name of names) {
    const label = parseLabelName(name);
    if (label) labels.push(label);
  }
  return labels.sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : Number(a.dir) - Number(b.dir)));
}

/** First index whose label is ≥ hex. */
function lowerBound(labels: Label[], hex: string): number {
  let lo = 0;
  let hi = labels.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (labels[mid].hex < hex) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `needle` in `hay` at a byte boundary (even hex offset), from `from` on. */
function alignedIndexOf(hay: string, needle: string, from: number): number {
  let i = hay.indexOf(needle, from);
  while (i !== -1 && i % 2 === 1) i = hay.indexOf(needle, i + 1);
  return i;
}

/** Keys at or before `hex` are skipped; with `tree`, also every key starting with `hex`. */
type Bound = { hex: string; tree: boolean } | null;
export type Hit = { hex: string; path?: string; prefix: boolean };

class Walk {
  hits: Hit[] = [];
  truncated = false;
  private done = false;

  constructor(
    private prefix: string, private delim: string, private maxKeys: number, private bound: Bound,
    private readDir: (dir: string) => Promise<Label[]>,
  ) {}

  async dir(path: string, base: string): Promise<void> {
    const labels = await this.readDir(path);
    for (let i = this.startIndex(labels, base); i < labels.length; i++) {
      const e = labels[i];
      if (this.done || this.coversAll(base)) return;
      const k = base + e.hex;
      const inPrefix = k.startsWith(this.prefix) || (e.dir && this.prefix.startsWith(k));
      if (!inPrefix) {
        if (k > this.prefix) return void (this.done = true); // everything after is past the prefix too
        continue;
      }
      if (this.excluded(k, e.dir)) continue;
      if (e.dir) await this.dir(join(path, labelName(e)), k);
      else this.hit(k, join(path, labelName(e)));
      i = this.skipGroup(labels, base, i);
    }
  }

  /** After a roll-up, jumps over the rest of its group in this directory instead of stepping. */
  private skipGroup(labels: Label[], base: string, i: number): number {
    const b = this.bound;
    if (!b?.tree || b.hex.length <= base.length || !b.hex.startsWith(base)) return i;
    // "g" sorts after every hex digit: the first label not starting with the group's remainder.
    return Math.max(i, lowerBound(labels, `${b.hex.slice(base.length)}g`) - 1);
  }

  /**
   * Skips, by binary search, the entries of a (possibly huge) directory that lie wholly below
   * the prefix or bound. Only two labels can be proper prefixes of the lower key and so still
   * hold later keys: its shortest "/"-cut and its full-length chunk (fs-paths.ts).
   */
  private startIndex(labels: Label[], base: string): number {
    const lower = this.bound && this.bound.hex > this.prefix ? this.bound.hex : this.prefix;
    if (lower.length <= base.length || !lower.startsWith(base)) return 0;
    const rel = lower.slice(base.length);
    const skipsGroup = this.bound?.tree && lower === this.bound.hex; // then labels starting with rel go too
    let from = lowerBound(labels, skipsGroup ? `${rel}g` : rel);
    const slash = alignedIndexOf(rel, "2f", 2 * (MIN_LABEL_BYTES - 1));
    if (slash !== -1) from = Math.min(from, lowerBound(labels, rel.slice(0, slash + 2)));
    if (rel.length > 2 * MAX_LABEL_BYTES) from = Math.min(from, lowerBound(labels, rel.slice(0, 2 * MAX_LABEL_BYTES)));
    return from;
  }

  /** The bound excludes every key in the directory `base`. */
  private coversAll(base: string): boolean {
    return this.bound !== null && this.bound.tree && base.startsWith(this.bound.hex);
  }

  private excluded(k: string, dir: boolean): boolean {
    const b = this.bound;
    if (!b) return false;
    if (b.tree && k.startsWith(b.hex)) return true;
    // A directory holds keys starting with k: all are ≤ the bound only if they differ from it inside k.
    return dir ? k < b.hex && !b.hex.startsWith(k) : k <= b.hex;
  }

  private hit(k: string, path: string): void {
    const j = this.delim ? alignedIndexOf(k, this.delim, this.prefix.length) : -1;
    if (j === -1) return this.add({ hex: k, path, prefix: false });
    const common = k.slice(0, j + this.delim.length);
    this.add({ hex: common, prefix: true });
    this.bound = { hex: common, tree: true }; // the rest of this group is rolled up
  }

  private add(hit: Hit): void {
    if (this.hits.length >= this.maxKeys) {
      this.truncated = true;
      this.done = true;
      return;
    }
    this.hits.push(hit);
  }
}

/** A continuation after a rolled-up prefix (or any key inside it) skips that whole group. */
function initialBound(prefix: string, delim: string, after?: string): Bound {
  if (after === undefined) return null;
  const hex = Buffer.from(after, "utf8").toString("hex");
  const j = delim && hex.startsWith(prefix) ? alignedIndexOf(hex, delim, prefix.length) : -1;
  return j === -1 ? { hex, tree: false } : { hex: hex.slice(0, j + delim.length), tree: true };
}

/** Runs `fn` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Header of a listed object; null when it was deleted since the walk saw it. */
async function readListed(path: string, key: string): Promise<ObjectInfo | null> {
  try {
    return { ...infoOf(await readHeaderAt(path)), key };
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    throw err;
  }
}

export type WalkResult = { hits: Hit[]; truncated: boolean };

/**
 * The keys (with the path of their "f" entry) and common prefixes of one page, in key order.
 * `readDir` decides which entries count as keys (the versioned listing adds "v" directories).
 */
export async function walkKeys(objectsRoot: string, p: ListObjectsParams, readDir: (dir: string) => Promise<Label[]>): Promise<WalkResult> {
  const prefixBytes = Buffer.from(p.prefix ?? "", "utf8");
  const prefix = prefixBytes.toString("hex");
  const delim = Buffer.from(p.delimiter ?? "", "utf8").toString("hex");
  const walk = new Walk(prefix, delim, p.maxKeys, initialBound(prefix, delim, p.after), readDir);
  const start = prefixDirLabels(prefixBytes);
  await walk.dir(join(objectsRoot, ...start.map(labelName)), start.map((l) => l.hex).join(""));
  return { hits: walk.hits, truncated: walk.truncated };
}

/** Lists one page of `objectsRoot` (the bucket's objects directory, known to exist). */
export async function listTree(objectsRoot: string, p: ListObjectsParams, cache?: DirCache): Promise<ListObjectsResult> {
  const maxKeys = Math.max(0, Math.min(MAX_LIST_KEYS, Math.floor(p.maxKeys)));
  if (!(maxKeys > 0)) return { objects: [], commonPrefixes: [], isTruncated: false };
  const readDir = cache ? (dir: string) => cache.read(dir, () => readSortedDir(dir)) : readSortedDir;
  const walk = await walkKeys(objectsRoot, { ...p, maxKeys }, readDir);

  const objectHits = walk.hits.filter((h) => !h.prefix);
  const infos = await mapLimit(objectHits, 16, (h) => readListed(h.path!, hexToKey(h.hex)));
  const last = walk.hits.at(-1);
  return {
    objects: infos.filter((i): i is ObjectInfo => i !== null),
    commonPrefixes: walk.hits.filter((h) => h.prefix).map((h) => hexToKey(h.hex)),
    isTruncated: walk.truncated,
    nextAfter: walk.truncated && last ? hexToKey(last.hex) : undefined,
  };
}
