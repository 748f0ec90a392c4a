// What a listing shows for a version (size, ETag, time), remembered per backend.
//
// A listed version costs a header read (open, read, close: three thread-pool round trips, about
// as much as the rest of a page together). A version file <id>.o is written once under a name
// nobody else uses and its data never changes (fs-versions.ts), so what a listing shows of it
// can be kept by path for as long as a directory read still shows the name; the directory read
// each listing does anyway decides whether it is still there. The null version is replaced in
// place, so it is never kept (a listing reads its header with the key anyway), and a delete
// marker's time comes from its id. Bounded: the oldest entries go first.
import { etagOf, readHeaderAt } from "./fs-format";
import { dateOfId } from "./fs-versions";
import type { VersionEntry } from "./fs-versions-read";
import { errCode } from "./fs-write";
import type { ObjectInfo } from "./types";

type Shown = { size: number; etag: string; lastModified: Date };

/** A few hundred bytes each (mostly the path): at most ~15 MB per backend, fifty pages of 1,000. */
const MAX_ENTRIES = 50_000;
const caches = new WeakMap<object, Map<string, Shown>>();

function cacheOf(owner: object): Map<string, Shown> {
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  return cache;
}

async function readShown(path: string): Promise<Shown | null> {
  try {
    const h = await readHeaderAt(path);
    return { size: h.size, etag: etagOf(h), lastModified: h.lastModified };
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return null; // deleted since the directory read
    throw err;
  }
}

/** A listed version of `key`; null when it vanished since it was seen. `owner` scopes the cache (one per backend). */
export async function listedInfo(owner: object, key: string, e: VersionEntry): Promise<ObjectInfo | null> {
  const base = { key, versionId: e.id, metadata: { userMetadata: {} } };
  if (e.marker) return { ...base, size: 0, etag: '""', lastModified: e.header ? e.header.lastModified : dateOfId(e.id) };
  if (e.header) return { ...base, size: e.header.size, etag: etagOf(e.header), lastModified: e.header.lastModified };
  const cache = cacheOf(owner);
  let shown = cache.get(e.path);
  if (!shown) {
    const read = await readShown(e.path);
    if (!read) return null;
    shown = read;
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(e.path, shown);
  }
  return { ...base, ...shown };
}
