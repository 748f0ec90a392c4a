// AWS's rule for a denied request naming a bucket: NoSuchBucket (404) when no bucket of that name
// exists in the region, AccessDenied when it exists but is not the key's. Existence of a bucket
// name is public in S3 (CreateBucket tells anyone), so this leaks nothing a key could not learn;
// what belongs to other projects stays AccessDenied. Runs on denials only: no cost on the data path.
import type { Db } from "../lib/db";
import type { Decision } from "../lib/keys/scope";
import { type S3Error, noSuchBucket } from "./errors";
import type { GatewayKey } from "./key-store";
import type { S3Route } from "./router";

// Denials about the key itself (revoked, expired, source IP) come first and stay as they are.
const BUCKET_DEPENDENT = new Set(["bucket", "permission", "prefix"]);

export async function missingBucket(db: Db, key: GatewayKey, route: S3Route, decision: Decision): Promise<S3Error | null> {
  if (decision.allow || !BUCKET_DEPENDENT.has(decision.reason)) return null;
  const own = new Set(key.buckets.map((b) => b.name));
  const candidates = [route.bucket, route.copySource?.bucket].filter((b): b is string => b !== undefined && !own.has(b));
  for (const name of candidates) {
    const row = await db.bucket.findUnique({ where: { regionId_name: { regionId: key.region, name } }, select: { id: true } });
    if (!row) return noSuchBucket(name);
  }
  return null;
}
