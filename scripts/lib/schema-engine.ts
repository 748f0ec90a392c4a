// Prisma's WASM schema engine, loaded without `--experimental-wasm-modules`: the package
// imports its .wasm as an ES module, so we instantiate it ourselves with the same bindings.
// This keeps Prisma's standard prisma/migrations format and _prisma_migrations table while
// avoiding the native engine download that fails on offline machines.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);
export const MIGRATIONS_DIR = path.resolve("prisma/migrations");
export const SCHEMA_PATH = path.resolve("prisma/schema.prisma");
// The schema as of the newest migration. The WASM engine cannot describe a live PostgreSQL 18
// shadow database (it fails on the "char" column type), so new migrations are computed as a
// pure diff between this snapshot and the current schema, which needs no database at all.
export const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");

// The engine reports Rust panics through this global before throwing a generic error.
const panics: string[] = [];
(globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => panics.push(message),
};
export const lastPanic = () => panics.at(-1);

async function loadEngineModule() {
  const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bg = await import(path.join(pkgDir, "schema_engine_bg.js"));
  const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bg as { SchemaEngine: typeof SchemaEngine };
}

export async function openSchemaEngine(databaseUrl: string): Promise<SchemaEngine> {
  const { SchemaEngine: Engine } = await loadEngineModule();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const debug = (line: string) => {
    if (process.env.KEYGATE_DEBUG_MIGRATIONS) console.error(line);
  };
  return Engine.new({ datamodels: [[SCHEMA_PATH, schema]] }, debug, adapter);
}

export async function loadMigrationList(): Promise<MigrationList> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => {
      const file = path.join(MIGRATIONS_DIR, dir, "migration.sql");
      const content = await readFile(file, "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (err: Error) => ({ tag: "error" as const, value: err.message }),
      );
      return { path: dir, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Applies every pending migration; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const engine = await openSchemaEngine(databaseUrl);
  try {
    const migrationsList = await loadMigrationList();
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** The SQL that takes the database from the snapshot to the current schema ("" when in sync). */
export async function pendingSchemaDiff(databaseUrl: string): Promise<string> {
  const engine = await openSchemaEngine(databaseUrl);
  try {
    const current = await readFile(SCHEMA_PATH, "utf8");
    const snapshot = await readFile(SNAPSHOT_PATH, "utf8").catch(() => null);
    const to = { tag: "schemaDatamodel" as const, files: [{ path: SCHEMA_PATH, content: current }] };
    const from = snapshot === null
      ? { tag: "empty" as const }
      : { tag: "schemaDatamodel" as const, files: [{ path: SCHEMA_PATH, content: snapshot }] };
    const out = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTERS });
    const sql = out.stdout ?? "";
    return /^\s*(--.*\n?\s*)*$/.test(sql) || sql.includes("This is an empty migration") ? "" : sql;
  } finally {
    engine.free();
  }
}

/** Writes a new migration folder in Prisma's format; returns its path, or null when nothing changed. */
export async function createMigration(databaseUrl: string, name: string): Promise<string | null> {
  const sql = await pendingSchemaDiff(databaseUrl);
  if (!sql) {
    // Comment-only edits: keep the snapshot identical to the schema for the drift test.
    await writeFile(SNAPSHOT_PATH, await readFile(SCHEMA_PATH, "utf8"));
    return null;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), LOCKFILE);
  await writeFile(SNAPSHOT_PATH, await readFile(SCHEMA_PATH, "utf8"));
  return path.relative(process.cwd(), dir);
}

const LOCKFILE = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';
