// Service and bucket operations: ListBuckets, Create/Delete/HeadBucket,
// GetBucketLocation (versioning: versions.ts).
import { S3Error, invalidArgument, noSuchBucket } from "../errors";
import { renderLocation } from "../xml";
import { renderListBuckets } from "../xml-lists";
import { MAX_CREATE_BUCKET_XML_BYTES, parseCreateBucketConfiguration, readXmlBody } from "../xml-parse";
import { type OpRun, bucketOf, ownerOf } from "./context";
import { decodeContinuationToken, encodeContinuationToken, optional } from "./list-params";
import { objectLockRequested } from "./lock-headers";
import { sendEmpty, sendXml } from "./respond";

const MAX_BUCKETS_PAGE = 10000;

/** ListBuckets over the caller's visible buckets (scope-filtered by the server), with prefix and paging. */
export async function listBuckets(run: OpRun): Promise<void> {
  const q = run.route.query;
  const prefix = optional(q, "prefix");
  const token = optional(q, "continuation-token");
  const after = token === undefined ? undefined : decodeContinuationToken(token);
  const max = parseMaxBuckets(q.get("max-buckets"));
  const regionFilter = optional(q, "bucket-region");
  const all = regionFilter !== undefined && regionFilter !== run.region ? [] : ((await run.listBuckets?.()) ?? []);
  const visible = all
    .filter((b) => (prefix === undefined || b.name.startsWith(prefix)) && (after === undefined || b.name > after))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = visible.slice(0, max);
  const next = visible.length > max ? encodeContinuationToken(page[page.length - 1].name) : undefined;
  sendXml(
    run,
    200,
    renderListBuckets({ buckets: page, owner: ownerOf(run), region: run.region, prefix, continuationToken: next }),
  );
}

function parseMaxBuckets(raw: string | null): number {
  if (raw === null) return MAX_BUCKETS_PAGE;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_BUCKETS_PAGE)) {
    throw invalidArgument("Provided max-buckets must be an integer between 1 and 10000", "max-buckets", raw);
  }
  return value;
}

export async function createBucket(run: OpRun): Promise<void> {
  const bucket = bucketOf(run);
  const config = parseCreateBucketConfiguration(await readXmlBody(run.body, MAX_CREATE_BUCKET_XML_BYTES));
  const constraint = config.locationConstraint;
  if (constraint !== undefined && constraint !== run.region) {
    throw new S3Error(
      "IllegalLocationConstraintException",
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  await run.storage.createBucket(bucket, objectLockRequested(run.req) ? { objectLock: true } : undefined);
  sendEmpty(run, 200, { location: `/${bucket}` });
}

export async function deleteBucket(run: OpRun): Promise<void> {
  await run.storage.deleteBucket(bucketOf(run));
  sendEmpty(run, 204);
}

async function requireBucket(run: OpRun): Promise<string> {
  const bucket = bucketOf(run);
  if (!(await run.storage.bucketExists(bucket))) throw noSuchBucket(bucket);
  return bucket;
}

export async function headBucket(run: OpRun): Promise<void> {
  await requireBucket(run);
  sendEmpty(run, 200, { "x-amz-bucket-region": run.region, "x-amz-access-point-alias": "false" });
}

export async function getBucketLocation(run: OpRun): Promise<void> {
  await requireBucket(run);
  sendXml(run, 200, renderLocation(run.region));
}
