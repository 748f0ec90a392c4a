// S3 deletes a bucket whose only content is pending multipart uploads, aborting them: cleanup
// tools delete every object and then the bucket, and would otherwise fail on BucketNotEmpty.
// A bucket that still holds objects keeps its uploads (the delete is refused anyway).
import { StorageError, type StorageBackend } from "../storage/types";

const MAX_ROUNDS = 100; // 100 × 1000 uploads; beyond that the storage's BucketNotEmpty stands

/** Aborts every pending upload of an object-less bucket; returns how many were aborted. */
export async function abortUploadsOfEmptyBucket(storage: StorageBackend, bucket: string): Promise<number> {
  const objects = await storage.listObjects(bucket, { maxKeys: 1 }).catch(ignoreMissing);
  if (!objects || objects.objects.length > 0 || objects.commonPrefixes.length > 0) return 0;
  let aborted = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const uploads = await storage.listMultipartUploads(bucket, { maxUploads: 1000 });
    if (uploads.length === 0) break;
    for (const u of uploads) {
      await storage.abortMultipartUpload(bucket, u.key, u.uploadId).catch((err) => {
        if (!(err instanceof StorageError && err.code === "NoSuchUpload")) throw err; // aborted meanwhile
      });
      aborted++;
    }
  }
  return aborted;
}

function ignoreMissing(err: unknown): null {
  if (err instanceof StorageError && err.code === "NoSuchBucket") return null;
  throw err;
}
