// Event retention and Object Lock: the request events of a bucket with a default retention are
// kept for max(the event retention, the bucket's default retention period). An object written
// with the default retention is locked for that period, so the record of who wrote, read,
// locked or tried to delete it stays as long as the lock does, and the events stay bounded (at
// most 36,500 days / 100 years, S3's limit). Longer retentions set on single versions do not
// extend it (the purge would have to read every version's lock); a lock bucket without a
// default retention keeps its events for the normal retention.
// Which buckets have Object Lock is asked of storage (the console's bucket rows do not record
// it); a region that cannot answer keeps all events of its buckets for that run, so a storage
// outage never loses events (a bucket missing from its storage has no lock).
import type { Tx } from "../db";
import { StorageError, type ObjectLockConfig, type StorageBackend } from "../storage/types";
import type { BucketRef } from "./retention";

const CACHE_MS = 10 * 60_000; // the purge runs every minute; lock settings change rarely

let cache: { at: number; refs: BucketRef[] } | undefined;

/** The default retention in days; years count as 366 days (never shorter than the lock). */
const periodDays = (c: ObjectLockConfig) => {
  const d = c.enabled ? c.defaultRetention : undefined;
  return d ? (d.days ?? 0) + (d.years ?? 0) * 366 : 0;
};

/** The buckets whose events are kept longer than usual, each with how long (Infinity: region down). */
export async function listObjectLockBuckets(db: Tx, storageFor: (regionId: string) => StorageBackend): Promise<BucketRef[]> {
  const rows = await db.bucket.findMany({ select: { projectId: true, regionId: true, name: true } });
  const refs: BucketRef[] = [];
  for (const row of rows) {
    const keepDays = await Promise.resolve()
      .then(() => storageFor(row.regionId).getObjectLockConfiguration(row.name))
      .then(periodDays, (err) => (err instanceof StorageError && err.code === "NoSuchBucket" ? 0 : Infinity));
    if (keepDays > 0) refs.push({ projectId: row.projectId, bucket: row.name, keepDays });
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
