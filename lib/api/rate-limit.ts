import type { Tx } from "../db";

export type RateLimitResult = { allowed: boolean; count: number; limit: number; remaining: number; retryAfterSeconds: number };

/**
 * Fixed-window counter in the RateLimit table, shared by every web process. One atomic upsert:
 * a new or elapsed window starts at 1, otherwise the count goes up; the row tells us where we are.
 * Times are computed in SQL (UTC), so web processes' clocks do not matter.
 */
export async function consumeRateLimit(db: Tx, key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
  const rows = await db.$queryRaw<{ count: number; retry_after: number }[]>`
    INSERT INTO "RateLimit" ("key", "count", "resetAt")
    VALUES (${key}, 1, (now() AT TIME ZONE 'UTC') + ${windowMs}::int * interval '1 millisecond')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE "RateLimit"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING "count", GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("resetAt" - (now() AT TIME ZONE 'UTC')))))::int AS retry_after`;
  const { count, retry_after } = rows[0];
  return { allowed: count <= limit, count, limit, remaining: Math.max(0, limit - count), retryAfterSeconds: retry_after };
}

/**
 * Deletes the counters whose window has ended (an ended window counts as a fresh one anyway).
 * Every new client address, recipient or guessed link adds a row, so without this the table
 * would grow for ever; the periodic jobs run it every minute.
 */
export async function purgeEndedRateLimits(db: Tx, now = new Date()): Promise<number> {
  return (await db.rateLimit.deleteMany({ where: { resetAt: { lte: now } } })).count;
}
