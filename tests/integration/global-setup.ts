// One embedded PostgreSQL per test run with a fresh, freshly migrated database.
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/schema-engine";
import { syncRegions } from "../../scripts/lib/sync-regions";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  // A cluster of its own per run, so parallel runs (or a running `npm start`) never collide.
  await mkdir("test-data", { recursive: true });
  const dataDir = await mkdtemp(path.resolve("test-data", "integration-"));
  await chmod(dataDir, 0o755); // the postgres user must reach its cluster directory inside
  const pg = await startEmbeddedPostgres({ dataDir, quiet: true });
  const database = `keygate_test_${Date.now()}`;
  await pg.createDatabase(database);
  const url = pg.url(database);
  await applyMigrations(url);
  await syncRegions(url, [{ id: "local", endpoint: "http://localhost:9000", backend: { type: "fs" } }]);
  project.provide("databaseUrl", url);
  project.provide("dataDir", dataDir);
  return async () => {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
