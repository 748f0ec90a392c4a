// Object Lock and Keygate's own deletion paths (bucket deletion, organization deletion with
// purge): a bucket holding a locked version (legal hold, or a retention that has not ended,
// GOVERNANCE included: Keygate never bypasses it) is neither emptied nor deleted.
import { StorageError, type StorageBackend } from "../storage/types";

export type LockedVersion = { key: string; versionId: string; reason: string };

/** The first locked version of the bucket, or null (buckets without Object Lock: at once). */
export async function findLockedVersion(storage: StorageBackend, bucket: string, now = new Date()): Promise<LockedVersion | null> {
  const config = await storage.getObjectLockConfiguration(bucket).catch((err) => {
    if (err instanceof StorageError && err.code === "NoSuchBucket") return { enabled: false };
    throw err;
  });
  if (!config.enabled) return null;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await storage.listObjectVersions(bucket, { maxKeys: 1000, keyMarker, versionIdMarker });
    for (const v of page.versions) {
      if (v.deleteMarker) continue;
      const lock = (await storage.headObject(bucket, v.key, v.versionId)).lock;
      if (lock?.legalHold) return { key: v.key, versionId: v.versionId, reason: "legal hold" };
      if (lock?.retention && lock.retention.retainUntil > now) {
        return { key: v.key, versionId: v.versionId, reason: `${lock.retention.mode} retention until ${lock.retention.retainUntil.toISOString()}` };
      }
    }
    if (!page.isTruncated) return null;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker;
  }
}

export const describeLocked = (bucket: string, v: LockedVersion) =>
  `Bucket "${bucket}" holds object versions under Object Lock (e.g. "${v.key}", ${v.reason}); it cannot be deleted until their retention ends and legal holds are removed.`;
