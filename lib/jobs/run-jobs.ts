import { purgeEndedRateLimits } from "../api/rate-limit";
import type { Db } from "../db";
import type { EmailTransport } from "../email/transport";
import { getEnv } from "../env";
import { cachedObjectLockBuckets } from "../events/lock-buckets";
import { type BucketRef, purgeOldEvents } from "../events/retention";
import { getRegionStorage } from "../storage/regions";
import { getMailer } from "../mailer";
import { endOverlapWindows } from "./end-overlaps";
import { expireKeys } from "./expire-keys";
import { sendExpiryReminders } from "./expiry-reminders";
import { sendRotationReminders } from "./rotation-reminders";

export type JobDeps = {
  transport: EmailTransport;
  publicUrl: string;
  retentionDays: number;
  purgeBatchSize?: number;
  /** Buckets whose events the purge keeps longer (Object Lock: lib/events/lock-buckets.ts). */
  keptBuckets?: (db: Db) => Promise<BucketRef[]>;
  log?: (line: string) => void;
};

export type JobsResult = {
  expired: number; reminders: number; rotationReminders: number; purged: number; overlapsEnded: number; rateLimitsPurged: number;
};

/** Any fixed 64-bit number; "kgjobs" in ASCII, so it is recognizable in pg_locks. */
const JOBS_LOCK_KEY = 0x6b676a6f6273n;

export function defaultJobDeps(): JobDeps {
  const env = getEnv();
  return {
    transport: getMailer(), publicUrl: env.publicUrl, retentionDays: env.KEYGATE_EVENT_RETENTION_DAYS,
    keptBuckets: (db) => cachedObjectLockBuckets(db, getRegionStorage),
  };
}

/**
 * Every periodic job once, in order. Each job is safe to run concurrently on its own
 * (conditional updates), so this is also what tests call directly.
 */
export async function runJobsOnce(db: Db, now = new Date(), deps: JobDeps = defaultJobDeps()): Promise<JobsResult> {
  const expired = await expireKeys(db, now);
  const overlapsEnded = await endOverlapWindows(db, now);
  const mail = { transport: deps.transport, publicUrl: deps.publicUrl, log: deps.log };
  const reminders = await sendExpiryReminders(db, mail, now);
  const rotationReminders = await sendRotationReminders(db, mail, now);
  const keep = deps.keptBuckets && (() => deps.keptBuckets!(db));
  const purged = await purgeOldEvents(db, { retentionDays: deps.retentionDays, batchSize: deps.purgeBatchSize, now, log: deps.log, keep });
  const rateLimitsPurged = await purgeEndedRateLimits(db, now);
  return { expired, reminders, rotationReminders, purged, overlapsEnded, rateLimitsPurged };
}

/**
 * runJobsOnce under a PostgreSQL advisory lock, so that when several processes (web replicas,
 * gateways) run the scheduler only one of them works at a time; the others skip the round.
 * The transaction-scoped variant (pg_try_advisory_xact_lock) is used because Prisma pools its
 * connections: a session lock could be taken on one connection and "released" on another. The
 * holding transaction runs no other statement, so it keeps no snapshot open during the jobs,
 * and a crashed process releases the lock with its connection. Returns null when skipped.
 */
export async function runJobsLocked(db: Db, now = new Date(), deps: JobDeps = defaultJobDeps()): Promise<JobsResult | null> {
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${JOBS_LOCK_KEY}) AS locked`;
      if (!row?.locked) return null;
      return runJobsOnce(db, now, deps);
    },
    { maxWait: 10_000, timeout: 60 * 60_000 },
  );
}

export type JobsHandle = { stop: () => Promise<void>; runNow: () => Promise<JobsResult | null> };

/**
 * Runs the jobs every `intervalMs` (default one minute) until stop(). Rounds never overlap in a
 * process (the next one is scheduled when the previous finishes) nor across processes (the
 * advisory lock). A failing round is logged and the schedule continues.
 */
export function startJobs(opts: { db: Db; intervalMs?: number; deps?: JobDeps; unref?: boolean }): JobsHandle {
  const intervalMs = opts.intervalMs ?? 60_000;
  const log = opts.deps?.log ?? ((line: string) => console.info(line));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<JobsResult | null> = Promise.resolve(null);

  const round = () => {
    current = runJobsLocked(opts.db, new Date(), opts.deps ?? defaultJobDeps()).catch((err: Error) => {
      log(`[jobs] round failed: ${err.message}`);
      return null;
    });
    return current;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void round().finally(schedule), intervalMs);
    if (opts.unref) timer.unref();
  };
  // First round soon after start (not at once: let the process finish booting).
  timer = setTimeout(() => void round().finally(schedule), Math.min(intervalMs, 5_000));
  if (opts.unref) timer.unref();

  return {
    runNow: () => current.then(round),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
