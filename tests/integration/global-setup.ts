// One embedded PostgreSQL per test run with a fresh, freshly migrated database.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/schema-engine";
import { syncRegions } from "../../scripts/lib/sync-regions";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Superuser connection to the test server's `postgres` database: for tests that create databases. */
    adminDatabaseUrl: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  // A cluster of its own per run, so parallel runs (or a running `npm start`) never collide.
  await mkdir("test-data", { recursive: true });
  // mkdtemp makes it 0700: as root, PostgreSQL (run as `postgres`) still reaches its cluster
  // directory inside (see scripts/lib/embedded-postgres.ts).
  const dataDir = await mkdtemp(path.resolve("test-data", "integration-"));
  const pg = await startEmbeddedPostgres({ dataDir, quiet: true });
  const database = `keygate_test_${Date.now()}`;
  await pg.createDatabase(database);
  const url = pg.url(database); // as the least-privileged `keygate` role, like the app
  await applyMigrations(url);
  await syncRegions(url, [{ id: "local", endpoint: "http://localhost:9000", backend: { type: "fs" } }]);
  project.provide("databaseUrl", url);
  project.provide("adminDatabaseUrl", pg.adminUrl("postgres"));
  project.provide("dataDir", dataDir);
  return async () => {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
