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

export function countPending(db: Db, keyring: SealingKeyring): Promise<number> {
  return db.accessKey.count({ where: { NOT: { sealedSecret: { startsWith: currentPrefix(keyring) } } } });
}

/**
 * Stored secrets per sealing key version ("v1" → 1; anything unparsable under its raw label).
 * Previous secrets of open rotation overlap windows count too (they are not re-sealed), so a
 * version they need is not pruned; they are destroyed when their window ends (at most 7 days).
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

/**
 * One pass over the secrets not under the current version, in id order. A secret that cannot be
 * opened is reported and skipped (the pass moves past it by id instead of retrying it forever).
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
      where: { id: { gt: lastId }, NOT: { sealedSecret: { startsWith: currentPrefix(keyring) } } },
      orderBy: { id: "asc" },
      take: opts.batchSize,
      select: { id: true, accessKeyId: true, sealedSecret: true },
    });
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1].id;
    const updates: { id: string; old: string; sealed: string }[] = [];
    for (const row of rows) {
      try {
        updates.push({ id: row.id, old: row.sealedSecret, sealed: resealSecret(keyring, row.sealedSecret, row.accessKeyId) });
      } catch (err) {
        if (!(err instanceof SealingError)) throw err;
        report.failures.push({ accessKeyId: row.accessKeyId, reason: err.message });
      }
    }
    const applied = await applyBatch(db, updates);
    report.batches += 1;
    report.resealed += applied;
    report.changedMeanwhile += updates.length - applied;
    opts.onBatch?.(report);
  }
  return report;
}

/**
 * One UPDATE per batch, so the batch commits as a unit (a single statement is its own
 * transaction). A row only changes if its sealed secret is still the one we opened: a key
 * rotated in the console meanwhile keeps its new secret. The plain secret does not change, so
 * gateways need no cache invalidation, and updatedAt is left alone: nothing a user sees changed.
 */
async function applyBatch(db: Db, updates: { id: string; old: string; sealed: string }[]): Promise<number> {
  if (updates.length === 0) return 0;
  return db.$executeRaw`
    UPDATE "AccessKey" AS k SET "sealedSecret" = u.sealed
    FROM unnest(${updates.map((u) => u.id)}::text[], ${updates.map((u) => u.old)}::text[], ${updates.map((u) => u.sealed)}::text[]) AS u(id, old, sealed)
    WHERE k.id = u.id AND k."sealedSecret" = u.old`;
}
