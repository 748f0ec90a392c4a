import type { Tx } from "../db";

export type PurgeOptions = {
  retentionDays: number;
  /** Upper bound of rows one DELETE may touch (keeps each transaction and its WAL small). */
  batchSize?: number;
  now?: Date;
  log?: (line: string) => void;
  /**
   * Buckets whose events are kept longer, each for max(retentionDays, its keepDays): buckets
   * with Object Lock and a default retention (lock-buckets.ts). Asked only when there is
   * something to purge.
   */
  keep?: () => Promise<BucketRef[]>;
};

/** A bucket as events name it (its project and its name), and how long its events are kept (Infinity: all). */
export type BucketRef = { projectId: string; bucket: string; keepDays: number };

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
  // (or project) compare as "" and are never mistaken for kept ones. A kept bucket's events are
  // spared from its own, earlier cutoff on (no event is older than 1970: Infinity keeps all).
  const now = (opts.now ?? new Date()).getTime();
  const kept = ((await opts.keep?.()) ?? []).filter((b) => b.keepDays > opts.retentionDays);
  const keptNames = kept.map((b) => `${b.projectId}/${b.bucket}`);
  const keptCutoffs = kept.map((b) => new Date(Number.isFinite(b.keepDays) ? now - b.keepDays * DAY_MS : 0).toISOString());

  let deleted = 0;
  for (let from = bounds.lo; from <= hi; from += BigInt(batchSize)) {
    const to = from + BigInt(batchSize);
    deleted += await db.$executeRaw`DELETE FROM "Event" e WHERE "id" >= ${from} AND "id" < ${to} AND "at" < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM unnest(${keptNames}::text[], ${keptCutoffs}::timestamp[]) AS k(name, since)
        WHERE k.name = coalesce(e."projectId", '') || '/' || coalesce(e."bucket", '') AND e."at" >= k.since)`;
  }
  (opts.log ?? ((line: string) => console.info(line)))(
    `[retention] purged ${deleted} events older than ${cutoff.toISOString()} (${opts.retentionDays} days) in ${Date.now() - started} ms`,
  );
  return deleted;
}
