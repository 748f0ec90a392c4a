// The embedded PostgreSQL, as the CLI uses it: when `npm start` already runs it (postmaster.pid
// names a live process), connect to that server; otherwise start it for the command's duration.
// PostgreSQL allows one server per data directory, so starting a second one is never an option.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { readPostmaster, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { APP_ROLE } from "../scripts/lib/postgres-roles";
import { CliError } from "./command";

export const EMBEDDED_DATABASE = "keygate";

export type EmbeddedDatabase = {
  url: string;
  /** "running": a server we found (npm start) and leave alone; "started": ours, stopped by stop(). */
  mode: "running" | "started";
  /** When the running server started (postmaster.pid); tells whether it predates a keyring change. */
  serverStartedAt: Date | null;
  stop: () => Promise<void>;
};

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const postgresDir = path.join(dataDir, "postgres");
  if (!existsSync(path.join(postgresDir, "PG_VERSION"))) {
    throw new CliError(
      `There is no database in ${postgresDir} yet. Start Keygate once with \`npm start\` (it creates and migrates it), ` +
        "or set DATABASE_URL to use another PostgreSQL.",
    );
  }
  const running = await readPostmaster(postgresDir);
  if (running) {
    // The least-privileged role npm start creates (postgres-roles.ts), like the app itself.
    const password = (await readFile(path.join(dataDir, `${APP_ROLE}.password`), "utf8").catch(() => "")).trim();
    const url = `postgresql://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${EMBEDDED_DATABASE}`;
    if (await canConnect(url)) return { url, mode: "running", serverStartedAt: running.startedAt, stop: async () => {} };
    throw new CliError(
      `The embedded PostgreSQL in ${postgresDir} is already running (pid ${running.pid}, probably \`npm start\`) ` +
        `but does not accept connections on 127.0.0.1:${running.port}. Stop it (Ctrl-C where npm start runs) and try again.`,
    );
  }
  const server = await startServer(dataDir, postgresDir);
  return { url: server.url(EMBEDDED_DATABASE), mode: "started", serverStartedAt: null, stop: server.stop };
}

/**
 * The free port is chosen before PostgreSQL binds it, so another process starting at the same
 * moment can take it; PostgreSQL then exits and embedded-postgres rejects with no reason at all.
 * A second attempt picks another port.
 */
async function startServer(dataDir: string, postgresDir: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dataDir, quiet: true });
    } catch (err) {
      if (attempt < 3) continue;
      const why = err instanceof Error ? `: ${err.message}` : " (it exited during start-up)";
      throw new CliError(`Could not start the embedded PostgreSQL in ${postgresDir}${why}. Its log: ${path.join(dataDir, "postgres.log")}.`);
    }
  }
}
