// npm run db:migrate                     apply pending migrations to DATABASE_URL (or the embedded database)
// npm run db:migrate:create -- <name>    write prisma/migrations/<timestamp>_<name> for a schema change
import { existsSync } from "node:fs";
import { applyMigrations, createMigration, lastPanic } from "./lib/schema-engine";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";

// Like Next.js, read ./.env when present (variables already set win).
if (existsSync(".env")) process.loadEnvFile(".env");

async function main() {
  const args = process.argv.slice(2);
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: process.env.KEYGATE_DATA_DIR ?? "data" });
  try {
    if (embedded) await embedded.createDatabase("keygate");
    const url = process.env.DATABASE_URL ?? embedded!.url("keygate");
    if (args.includes("--create")) {
      const name = (args.find((a) => !a.startsWith("--")) ?? "migration").replace(/[^a-zA-Z0-9_]/g, "_");
      const dir = await createMigration(url, name);
      return console.log(dir ? `Created ${dir}/migration.sql; apply it with npm run db:migrate` : "No schema changes.");
    }
    const applied = await applyMigrations(url);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
  } finally {
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err, lastPanic() ?? "");
  process.exit(1);
});
