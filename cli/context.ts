// What every database command needs, resolved exactly like `npm start`: ./.env, lib/env, then
// DATABASE_URL or else the embedded PostgreSQL in the data directory (connect to the running
// one, or start it for the command's duration and stop it afterwards, also on Ctrl-C).
import { existsSync } from "node:fs";
import path from "node:path";
import type { Db } from "../lib/db";
import { getEnv, type Env } from "../lib/env";
import { CliError } from "./command";
import { openEmbeddedDatabase } from "./embedded-db";
import { requireCurrentSchema } from "./migrations";

export type DatabaseHandle = {
  url: string;
  /** For messages: never contains the password. */
  label: string;
  mode: "url" | "running" | "started";
  serverStartedAt: Date | null;
};
export type CliContext = { env: Env; db: Db; database: DatabaseHandle };

const cleanups = new Set<() => Promise<void>>();

/** Releases what commands hold (database clients, an embedded server we started). Idempotent. */
export async function runCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  for (const cleanup of pending.reverse()) await cleanup().catch(() => {});
}

let envLoaded = false;

/** The configuration, or a CliError naming every bad variable. */
export function loadCliEnv(): Env {
  // Like npm start and Next.js: read ./.env when present; variables already set win.
  if (!envLoaded && existsSync(".env")) process.loadEnvFile(".env");
  envLoaded = true;
  try {
    return getEnv();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export async function openDatabase(env: Env): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL);
    return { url: env.DATABASE_URL, label: `DATABASE_URL (${u.host}${u.pathname})`, mode: "url", serverStartedAt: null };
  }
  const embedded = await openEmbeddedDatabase(env.dataDir);
  if (embedded.mode === "started") cleanups.add(embedded.stop);
  const where = path.join(env.dataDir, "postgres");
  const how = embedded.mode === "running" ? "already running, e.g. under npm start" : "started for this command";
  return { url: embedded.url, label: `embedded PostgreSQL in ${where} (${how})`, mode: embedded.mode, serverStartedAt: embedded.serverStartedAt };
}

/** A Prisma client on `database`, checked with a first query so failures read as one clear line. */
export async function connect(database: DatabaseHandle): Promise<Db> {
  const { createDb } = await import("../lib/db"); // keeps --help fast: Prisma loads only when a command needs it
  const db = createDb(database.url, 4);
  cleanups.add(() => db.$disconnect());
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (err) {
    const reason = ((err as Error).message ?? String(err)).split("\n").filter(Boolean).at(-1);
    throw new CliError(`Cannot use the database, ${database.label}: ${reason}`);
  }
  return db;
}

/** Runs `fn` with the database, once its schema is known to be current, then releases it. */
export async function withDatabase<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const env = loadCliEnv();
  try {
    const database = await openDatabase(env);
    const db = await connect(database);
    await requireCurrentSchema(db);
    return await fn({ env, db, database });
  } finally {
    await runCleanups();
  }
}
