// Runs the operator CLI as operators do (`node bin/keygate.mjs …`, a child process) and gives
// tests that act on the whole database (sealing rotation, doctor) a database of their own.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { createDb, type Db } from "../../lib/db";
import { applyMigrations } from "../../scripts/lib/schema-engine";
import { syncRegions } from "../../scripts/lib/sync-regions";

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
export type CliEnv = Record<string, string | undefined>;

const BIN = path.resolve("bin/keygate.mjs");

/**
 * Only what the CLI needs, never the developer's shell: a RESEND_API_KEY or DATABASE_URL there
 * must not leak into a test.
 */
export function cliEnv(extra: CliEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, NODE_ENV: "test" };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** `onStderr` sees progress lines as they come, with the child (to interrupt it). */
export function runCli(args: string[], env: CliEnv, onStderr?: (text: string, child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const parseJson = <T = Record<string, unknown>>(r: CliResult): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
};

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))); // per importing file

/** A private temporary directory, removed after the test file. */
export async function tempDir(prefix = "keygate-cli-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export const randomKeyring = (version = 1) => `${version}:${randomBytes(32).toString("base64")}`;

/** A fresh, migrated database on the test server, dropped by `drop`. */
export async function createIsolatedDatabase(): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const base = new URL(inject("databaseUrl"));
  if (base.hostname !== "127.0.0.1" && base.hostname !== "localhost") throw new Error(`refusing non-local test database ${base.hostname}`);
  const name = `keygate_cli_${randomBytes(5).toString("hex")}`;
  // The app's role may not create databases (least privilege): the superuser creates it, owned by that role.
  const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" OWNER "${decodeURIComponent(base.username)}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  await syncRegions(url.toString(), [{ id: "local", endpoint: "http://localhost:9000", backend: { type: "fs" } }]);
  const db = createDb(url.toString(), 4);
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
