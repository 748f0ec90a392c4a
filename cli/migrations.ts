// Which of prisma/migrations the database has applied, read from Prisma's _prisma_migrations.
import type { Db } from "../lib/db";
import { loadMigrationList } from "../scripts/lib/schema-engine";
import { CliError } from "./command";

export type MigrationStatus = {
  known: string[];
  pending: string[];
  /** Started but never finished (a failed migration blocks every later one). */
  failed: string[];
  /** Applied in the database but missing from prisma/migrations (the code is older than the database). */
  unknown: string[];
};

type Row = { migration_name: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function getMigrationStatus(db: Db): Promise<MigrationStatus> {
  const known = (await loadMigrationList()).migrationDirectories.map((d) => d.path);
  const [{ present }] = await db.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
  const rows = present
    ? await db.$queryRaw<Row[]>`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`
    : [];
  const live = rows.filter((r) => r.rolled_back_at === null);
  const applied = new Set(live.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
  return {
    known,
    pending: known.filter((name) => !applied.has(name)),
    failed: live.filter((r) => r.finished_at === null).map((r) => r.migration_name),
    unknown: [...applied].filter((name) => !known.includes(name)),
  };
}

/** Commands refuse to run against a schema they were not written for. */
export async function requireCurrentSchema(db: Db): Promise<void> {
  const status = await getMigrationStatus(db);
  if (status.failed.length) {
    throw new CliError(`The database has a failed migration (${status.failed.join(", ")}). Fix it, then run \`npm run db:migrate\`.`);
  }
  if (status.pending.length) {
    throw new CliError(
      `The database schema is not up to date: ${status.pending.length} migration(s) pending (${status.pending.join(", ")}). ` +
        "Run `npm run db:migrate`, or start Keygate with `npm start`, which applies them.",
    );
  }
}
