// Listings of versioned fs buckets: ListObjectVersions, and ListObjects (latest versions that
// are not delete markers). Both walk the same label tree as unversioned listings (fs-list.ts),
// with a key's "v" directory counting as the key, so a page costs the directories it touches,
// one readdir per key listed and one header read per version shown (remembered per backend,
// fs-versions-info.ts): depth in the bucket, the number of keys or the number of versions of
// other keys does not matter. A key-marker jumps into the tree by binary search.
import fsp from "node:fs/promises";
import { type Hit, MAX_LIST_KEYS, mapLimit, walkKeys } from "./fs-list";
import { type FsContext, requireBucket } from "./fs-objects";
import { type Label, hexToKey, parseLabelName } from "./fs-paths";
import { errCode } from "./fs-write";
import { checkVersionId, keyPaths, versionsDirOf } from "./fs-versions";
import { listedInfo } from "./fs-versions-info";
import { type VersionEntry, keyVersions } from "./fs-versions-read";
import type { ListObjectsParams, ListObjectsResult, ListVersionsParams, ListVersionsResult, ObjectInfo, ObjectVersion } from "./types";

type Present = Map<string, { f: boolean; v: boolean }>;

const V_NAME_RE = /^v(?:[0-9a-f]{2})*$/;

/**
 * A directory's entries in key order, a key's "v<hex>" directory counting as the key "f<hex>".
 * `present` learns which of the two exist for each key (by its "f" path), so resolving a key
 * later skips the lookups that cannot succeed.
 */
export async function readVersionedDir(dir: string, present?: Present): Promise<Label[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return [];
    throw err;
  }
  const byName = new Map<string, Label>();
  for (const name of names) {
    const isV = name[0] === "v";
    const label = isV ? (V_NAME_RE.test(name) ? { hex: name.slice(1), dir: false } : null) : parseLabelName(name);
    if (!label) continue;
    byName.set((label.dir ? "d" : "f") + label.hex, label);
    if (present && !label.dir) {
      const fPath = `${dir}/f${label.hex}`; // as join() would give: `dir` is already normal
      const seen = present.get(fPath) ?? { f: false, v: false };
      present.set(fPath, isV ? { ...seen, v: true } : { ...seen, f: true });
    }
  }
  return [...byName.values()].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : Number(a.dir) - Number(b.dir)));
}

type KeyHit = { key: string; prefix: boolean; versions: VersionEntry[] };

/**
 * Keys (with their versions) and common prefixes in order, in batches as the consumer asks for
 * them. The tree is walked in chunks that grow from 2 × `firstBatch` keys up to `pageSize` (a page of keys
 * with many versions each needs only a few keys), and keys are resolved in parallel batches that
 * grow from `firstBatch` to 16, so a page reads only the keys it shows, and a liveness check
 * reads one or two keys, or, when those are deleted, soon 16 at a time.
 */
async function* walkVersioned(
  root: string, p: { prefix?: string; delimiter?: string; after?: string }, pageSize: number, firstBatch = 16,
): AsyncGenerator<KeyHit[]> {
  let after = p.after;
  let batch = firstBatch;
  let chunk = Math.min(pageSize, batch * 2);
  const present: Present = new Map();
  for (;;) {
    present.clear();
    const page = await walkKeys(root, { prefix: p.prefix, delimiter: p.delimiter, after, maxKeys: chunk }, (dir) => readVersionedDir(dir, present));
    for (let i = 0; i < page.hits.length; i += batch) {
      yield await Promise.all(page.hits.slice(i, i + batch).map(async (h: Hit): Promise<KeyHit> => ({
        key: hexToKey(h.hex), prefix: h.prefix,
        versions: h.prefix ? [] : await keyVersions({ nullPath: h.path!, versionsDir: versionsDirOf(h.path!) }, present.get(h.path!)),
      })));
    }
    const last = page.hits.at(-1);
    if (!page.truncated || !last) return;
    after = hexToKey(last.hex);
    chunk = Math.min(pageSize, chunk * 4);
    batch = Math.min(16, batch * 4);
  }
}

const clampMax = (n: number) => Math.max(0, Math.min(MAX_LIST_KEYS, Math.floor(n)));

type Planned = { key: string; prefix: true } | { key: string; prefix: false; entry: VersionEntry; latest: boolean };

/** The marker key's versions after version-id-marker (S3 resumes inside a key). */
async function markerKeyRest(ctx: FsContext, bucket: string, p: ListVersionsParams): Promise<Planned[]> {
  const key = p.keyMarker!;
  if (!p.versionIdMarker || !key.startsWith(p.prefix ?? "")) return [];
  if (p.delimiter && key.slice((p.prefix ?? "").length).includes(p.delimiter)) return []; // rolled up, not listed by version
  checkVersionId(p.versionIdMarker);
  let versions: VersionEntry[];
  try {
    versions = await keyVersions(keyPaths(ctx, bucket, key));
  } catch {
    return []; // a marker that cannot be a key (too long, not UTF-8) has no versions
  }
  const i = versions.findIndex((v) => v.id === p.versionIdMarker);
  return i === -1 ? [] : versions.slice(i + 1).map((entry) => ({ key, prefix: false, entry, latest: entry === versions[0] }));
}

export async function listVersions(ctx: FsContext, bucket: string, p: ListVersionsParams): Promise<ListVersionsResult> {
  const root = await requireBucket(ctx, bucket);
  const max = clampMax(p.maxKeys);
  if (max === 0) return { versions: [], commonPrefixes: [], isTruncated: false };
  const planned: Planned[] = p.keyMarker ? await markerKeyRest(ctx, bucket, p) : [];
  if (planned.length <= max) {
    outer: for await (const hits of walkVersioned(root, { prefix: p.prefix, delimiter: p.delimiter, after: p.keyMarker || undefined }, max + 1)) {
      for (const hit of hits) {
        if (hit.prefix) planned.push({ key: hit.key, prefix: true });
        for (const [i, entry] of hit.versions.entries()) {
          if (planned.length > max) break outer;
          planned.push({ key: hit.key, prefix: false, entry, latest: i === 0 });
        }
        if (planned.length > max) break outer;
      }
    }
  }
  const page = planned.slice(0, max);
  const infos = await mapLimit(page, 16, async (x) => (x.prefix ? null : listedInfo(ctx, x.key, x.entry)));
  const versions: ObjectVersion[] = [];
  page.forEach((x, i) => {
    const info = infos[i];
    if (!x.prefix && info) versions.push({ ...info, versionId: x.entry.id, isLatest: x.latest, deleteMarker: x.entry.marker });
  });
  const last = page.at(-1);
  const isTruncated = planned.length > max;
  return {
    versions,
    commonPrefixes: page.filter((x) => x.prefix).map((x) => x.key),
    isTruncated,
    nextKeyMarker: isTruncated ? last?.key : undefined,
    nextVersionIdMarker: isTruncated && last && !last.prefix ? last.entry.id : undefined,
  };
}

/** Whether the key's latest version is an object, not a delete marker. */
const isLive = (hit: KeyHit) => hit.versions.length > 0 && !hit.versions[0].marker;

/** A common prefix is listed only if some key under it has a live latest version (as S3); usually its first key. */
async function hasLiveKey(root: string, prefix: string): Promise<boolean> {
  for await (const hits of walkVersioned(root, { prefix }, 1000, 2)) {
    if (hits.some(isLive)) return true;
  }
  return false;
}

type Found = { prefix: true; key: string } | { prefix: false; key: string; info: ObjectInfo };

/** A listed key or prefix as ListObjects shows it; null when it has no live version (under it). */
async function resolveLatest(ctx: FsContext, root: string, hit: KeyHit): Promise<Found | null> {
  if (hit.prefix) return (await hasLiveKey(root, hit.key)) ? { prefix: true, key: hit.key } : null;
  const info = isLive(hit) ? await listedInfo(ctx, hit.key, hit.versions[0]) : null;
  return info && { prefix: false, key: hit.key, info: { ...info, versionId: undefined } };
}

/** ListObjects of a versioned bucket: one entry per key whose latest version is an object. */
export async function listLatest(ctx: FsContext, bucket: string, p: ListObjectsParams): Promise<ListObjectsResult> {
  const root = await requireBucket(ctx, bucket);
  const max = clampMax(p.maxKeys);
  if (max === 0) return { objects: [], commonPrefixes: [], isTruncated: false };
  const found: Found[] = [];
  for await (const hits of walkVersioned(root, p, max + 1)) {
    for (const f of await Promise.all(hits.map((hit) => resolveLatest(ctx, root, hit)))) if (f) found.push(f);
    if (found.length > max) break;
  }
  const page = found.slice(0, max);
  const isTruncated = found.length > max;
  return {
    objects: page.flatMap((x) => (x.prefix ? [] : [x.info])),
    commonPrefixes: page.flatMap((x) => (x.prefix ? [x.key] : [])),
    isTruncated,
    nextAfter: isTruncated ? page.at(-1)?.key : undefined,
  };
}

/** True when no key of the bucket has any version or delete marker (DeleteBucket's check). */
export async function hasNoVersions(objectsRoot: string): Promise<boolean> {
  for await (const hits of walkVersioned(objectsRoot, {}, 1000)) {
    if (hits.some((hit) => hit.versions.length > 0)) return false; // (an empty "v" directory left by a crash is not a version)
  }
  return true;
}
