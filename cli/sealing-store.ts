// Re-sealing stored secrets under the current sealing key version, in batches, resumably: the
// work left is always "secrets not sealed with the current version", so a run that stops (by
// request, crash or Ctrl-C) loses nothing and the next run continues from there.
import pg from "pg";
import type { Db } from "../lib/db";
import { resealSecret, SealingError, type SealingKeyring } from "../lib/keys/sealing";
import { CliError } from "./command";

/** Serializes sealing commands per database: two concurrent rotations would mint two different "next" keys. */
export async function withSealingLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('keygate.sealing')) AS locked");
    if (!rows[0].locked) throw new CliError("Another `keygate sealing` command is running against this database; try again when it has finished.");
    return await fn();
  } finally {
    await client.end().catch(() => {}); // closing the session releases the lock
  }
}

const currentPrefix = (keyring: SealingKeyring) => `v${keyring.current}.`;

/** Keys holding a secret not sealed with the current version: the current one or, during a rotation overlap window, the previous one. */
const pendingWhere = (keyring: SealingKeyring) => ({
  OR: [
    { NOT: { sealedSecret: { startsWith: currentPrefix(keyring) } } },
    { previousSealedSecret: { not: null }, NOT: { previousSealedSecret: { startsWith: currentPrefix(keyring) } } },
  ],
});

/** Stored secrets (current and previous ones) not sealed with the current version. */
export async function countPending(db: Db, keyring: SealingKeyring): Promise<number> {
  const prefix = `${currentPrefix(keyring)}%`;
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT (count(*) FILTER (WHERE "sealedSecret" NOT LIKE ${prefix})
      + count(*) FILTER (WHERE "previousSealedSecret" IS NOT NULL AND "previousSealedSecret" NOT LIKE ${prefix}))::int AS count
    FROM "AccessKey"`;
  return row.count;
}

/** Every stored secret: one per key, plus the previous secret of each key in a rotation overlap window. */
export async function countSecrets(db: Db): Promise<number> {
  const [keys, previous] = await Promise.all([db.accessKey.count(), db.accessKey.count({ where: { previousSealedSecret: { not: null } } })]);
  return keys + previous;
}

/**
 * Stored secrets per sealing key version ("v1" → 1; anything unparsable under its raw label).
 * Previous secrets of rotation overlap windows count too: they are re-sealed like the current
 * ones, and a version one of them still needs is never pruned.
 */
export async function countByVersion(db: Db): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ version: string; count: number }[]>`
    SELECT split_part(s, '.', 1) AS version, count(*)::int AS count FROM (
      SELECT "sealedSecret" AS s FROM "AccessKey"
      UNION ALL SELECT "previousSealedSecret" FROM "AccessKey" WHERE "previousSealedSecret" IS NOT NULL
    ) AS sealed GROUP BY 1 ORDER BY 1`;
  return new Map(rows.map((r) => [r.version, r.count]));
}

export type ResealFailure = { accessKeyId: string; reason: string };
export type ResealReport = { batches: number; resealed: number; changedMeanwhile: number; failures: ResealFailure[]; stoppedEarly: boolean };

type Options = { batchSize: number; maxBatches?: number; onBatch?: (report: ResealReport) => void };

type Update = { id: string; old: string; sealed: string; oldPrevious: string | null; previous: string | null };

/**
 * One pass over the keys holding a secret not under the current version, in id order; a key's
 * current and previous secrets are re-sealed together. A secret that cannot be opened is
 * reported and its key skipped (the pass moves past it by id instead of retrying it forever).
 */
export async function resealPending(db: Db, keyring: SealingKeyring, opts: Options): Promise<ResealReport> {
  const report: ResealReport = { batches: 0, resealed: 0, changedMeanwhile: 0, failures: [], stoppedEarly: false };
  let lastId = "";
  for (;;) {
    if (opts.maxBatches !== undefined && report.batches >= opts.maxBatches) {
      report.stoppedEarly = (await countPending(db, keyring)) > report.failures.length;
      break;
    }
    const rows = await db.accessKey.findMany({
      where: { id: { gt: lastId }, ...pendingWhere(keyring) },
      orderBy: { id: "asc" },
      take: opts.batchSize,
      select: { id: true, accessKeyId: true, sealedSecret: true, previousSealedSecret: true },
    });
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1].id;
    const updates: Update[] = [];
    for (const row of rows) {
      try {
        // A secret already under the current version is left as it is (the key is here for its other one).
        const fresh = (sealed: string) => (sealed.startsWith(currentPrefix(keyring)) ? sealed : resealSecret(keyring, sealed, row.accessKeyId));
        const sealed = fresh(row.sealedSecret);
        const previous = row.previousSealedSecret === null ? null : fresh(row.previousSealedSecret);
        updates.push({ id: row.id, old: row.sealedSecret, sealed, oldPrevious: row.previousSealedSecret, previous });
      } catch (err) {
        if (!(err instanceof SealingError)) throw err;
        report.failures.push({ accessKeyId: row.accessKeyId, reason: err.message });
      }
    }
    const applied = await applyBatch(db, updates);
    const secrets = (u: Update) => (u.old === u.sealed ? 0 : 1) + (u.oldPrevious === u.previous ? 0 : 1);
    report.batches += 1;
    report.resealed += updates.filter((u) => applied.has(u.id)).reduce((n, u) => n + secrets(u), 0);
    report.changedMeanwhile += updates.length - applied.size;
    opts.onBatch?.(report);
  }
  return report;
}

/**
 * One UPDATE per batch, so the batch commits as a unit (a single statement is its own
 * transaction). A row only changes if both its sealed secrets are still the ones we opened: a
 * key rotated (or its overlap ended) meanwhile keeps what it has now, and the next run picks it
 * up. The plain secrets do not change, so gateways need no cache invalidation, and updatedAt is
 * left alone: nothing a user sees changed. Returns the ids of the rows changed.
 */
async function applyBatch(db: Db, updates: Update[]): Promise<Set<string>> {
  if (updates.length === 0) return new Set();
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "AccessKey" AS k SET "sealedSecret" = u.sealed, "previousSealedSecret" = u.previous
    FROM unnest(${updates.map((u) => u.id)}::text[], ${updates.map((u) => u.old)}::text[], ${updates.map((u) => u.sealed)}::text[],
      ${updates.map((u) => u.oldPrevious)}::text[], ${updates.map((u) => u.previous)}::text[]) AS u(id, old, sealed, old_previous, previous)
    WHERE k.id = u.id AND k."sealedSecret" = u.old AND k."previousSealedSecret" IS NOT DISTINCT FROM u.old_previous
    RETURNING k.id`;
  return new Set(rows.map((r) => r.id));
}
