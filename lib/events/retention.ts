import type { Tx } from "../db";

export type PurgeOptions = {
  retentionDays: number;
  /** Upper bound of rows one DELETE may touch (keeps each transaction and its WAL small). */
  batchSize?: number;
  now?: Date;
  log?: (line: string) => void;
  /**
   * Buckets whose events are kept whatever their age: buckets with Object Lock (lock-buckets.ts),
   * so the record of what happened to locked data lives as long as the bucket. Asked only when
   * there is something to purge.
   */
  keep?: () => Promise<BucketRef[]>;
};

/** A bucket as events name it: its project and its name. */
export type BucketRef = { projectId: string; bucket: string };

const DAY_MS = 86_400_000;

/**
 * Deletes events older than the retention period in bounded batches by id range. Ids grow
 * with time, so the old events sit at the low end of the id space: walk it from the smallest
 * id to the highest id of an old event, `batchSize` ids per DELETE. Every DELETE also checks
 * "at" itself, so an event newer than the cutoff is never removed even where ids and times
 * disagree (gateway batches are written slightly after the requests they record).
 */
export async function purgeOldEvents(db: Tx, opts: PurgeOptions): Promise<number> {
  const batchSize = Math.max(1, opts.batchSize ?? 10_000);
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.retentionDays * DAY_MS);
  const started = Date.now();
  // The lowest id comes from the primary key; the highest old id from the ("at") index, which
  // in steady state (the job runs every few minutes) spans only the few events just expired.
  const [bounds] = await db.$queryRaw<{ lo: bigint | null; hi: bigint | null }[]>`
    SELECT (SELECT min("id") FROM "Event") AS lo, (SELECT max("id") FROM "Event" WHERE "at" < ${cutoff}) AS hi`;
  if (bounds?.lo == null || bounds.hi == null) return 0;
  const hi = bounds.hi;
  // Events of kept buckets match "<projectId>/<bucket>"; coalesce so events without a bucket
  // (or project) compare as "" and are never mistaken for kept ones.
  const kept = ((await opts.keep?.()) ?? []).map((b) => `${b.projectId}/${b.bucket}`);

  let deleted = 0;
  for (let from = bounds.lo; from <= hi; from += BigInt(batchSize)) {
    const to = from + BigInt(batchSize);
    deleted += await db.$executeRaw`DELETE FROM "Event" WHERE "id" >= ${from} AND "id" < ${to} AND "at" < ${cutoff}
      AND NOT (coalesce("projectId", '') || '/' || coalesce("bucket", '')) = ANY(${kept}::text[])`;
  }
  (opts.log ?? ((line: string) => console.info(line)))(
    `[retention] purged ${deleted} events older than ${cutoff.toISOString()} (${opts.retentionDays} days) in ${Date.now() - started} ms`,
  );
  return deleted;
}
