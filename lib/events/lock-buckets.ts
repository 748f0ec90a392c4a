// Event retention and Object Lock: the request events of a bucket with Object Lock are exempt
// from the event purge for as long as the bucket exists. Such a bucket may hold versions under
// retention or legal hold, and the record of who wrote, read, locked or tried to delete them is
// part of what the lock protects; Keygate cannot delete the bucket while a version is locked
// (lib/buckets/locked-versions.ts), and once the bucket is gone its events age out normally.
// Which buckets have Object Lock is asked of storage (the console's bucket rows do not record
// it); a region that cannot answer counts as locked, so a storage outage never loses events
// (a bucket missing from its storage has no lock).
import type { Tx } from "../db";
import { StorageError, type StorageBackend } from "../storage/types";
import type { BucketRef } from "./retention";

const CACHE_MS = 10 * 60_000; // the purge runs every minute; lock settings change rarely

let cache: { at: number; refs: BucketRef[] } | undefined;

export async function listObjectLockBuckets(db: Tx, storageFor: (regionId: string) => StorageBackend): Promise<BucketRef[]> {
  const rows = await db.bucket.findMany({ select: { projectId: true, regionId: true, name: true } });
  const refs: BucketRef[] = [];
  for (const row of rows) {
    const enabled = await Promise.resolve()
      .then(() => storageFor(row.regionId).getObjectLockConfiguration(row.name))
      .then((c) => c.enabled, (err) => !(err instanceof StorageError && err.code === "NoSuchBucket"));
    if (enabled) refs.push({ projectId: row.projectId, bucket: row.name });
  }
  return refs;
}

/** listObjectLockBuckets, remembered for ten minutes in this process. */
export async function cachedObjectLockBuckets(db: Tx, storageFor: (regionId: string) => StorageBackend): Promise<BucketRef[]> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.refs;
  const refs = await listObjectLockBuckets(db, storageFor);
  cache = { at: Date.now(), refs };
  return refs;
}
