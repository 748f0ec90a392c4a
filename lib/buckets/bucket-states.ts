// Versioning state and Object Lock of each bucket of a list (the console's project page), read
// from the regions' storage: all buckets at once, each answer bounded in time, so a region that
// is down or slow costs the page at most `timeoutMs` and its buckets show "unknown" (null).
import type { VersioningState } from "../storage/types";
import type { StorageFor } from "./buckets";

export type BucketState = { versioning: VersioningState; objectLock: boolean } | null;

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);

export async function bucketStates(
  buckets: { id: string; name: string; regionId: string }[], storageFor: StorageFor, timeoutMs = 1500,
): Promise<Map<string, BucketState>> {
  const states = await Promise.all(buckets.map(async (b): Promise<BucketState> => {
    try {
      const storage = storageFor(b.regionId);
      const [versioning, lock] = await within(Promise.all([storage.getBucketVersioning(b.name), storage.getObjectLockConfiguration(b.name)]), timeoutMs);
      return { versioning, objectLock: lock.enabled };
    } catch {
      return null;
    }
  }));
  return new Map(buckets.map((b, i) => [b.id, states[i]]));
}
