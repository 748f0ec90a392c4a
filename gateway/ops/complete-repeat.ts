// A repeated CompleteMultipartUpload (a retry after a lost response) must get S3's answer: 200
// with the same ETag, not NoSuchUpload. No state is kept for it: the multipart ETag is the MD5 of
// the parts' binary MD5s + "-<count>", so when the object under the key has exactly the ETag the
// requested part list produces, that completion has already happened.
import { createHash } from "node:crypto";
import { StorageError, type StorageBackend } from "../../lib/storage/types";

const PART_ETAG = /^"?([0-9a-f]{32})"?$/i;

/** The multipart ETag (quoted) a part list produces, or null when a part ETag is not an MD5. */
export function multipartEtag(parts: { etag: string }[]): string | null {
  const md5 = createHash("md5");
  for (const p of parts) {
    const m = PART_ETAG.exec(p.etag.trim());
    if (!m) return null;
    md5.update(Buffer.from(m[1], "hex"));
  }
  return parts.length > 0 ? `"${md5.digest("hex")}-${parts.length}"` : null;
}

/** The ETag of an earlier completion of the same parts, or null (then NoSuchUpload stands). */
export async function completedEarlier(storage: StorageBackend, bucket: string, key: string, parts: { etag: string }[]): Promise<string | null> {
  const expected = multipartEtag(parts);
  if (!expected) return null;
  const current = await storage.headObject(bucket, key).catch((err) => {
    if (err instanceof StorageError && err.code === "NoSuchKey") return null;
    throw err;
  });
  return current && current.etag.toLowerCase() === expected ? current.etag : null;
}
