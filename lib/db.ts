import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

export type Db = PrismaClient;
/** A client or an interactive transaction: core functions accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type DbTimeouts = { connectMs: number; statementMs: number };

export function dbTimeouts(): DbTimeouts {
  const env = getEnv();
  return { connectMs: env.KEYGATE_DB_CONNECT_TIMEOUT_MS, statementMs: env.KEYGATE_DB_STATEMENT_TIMEOUT_MS };
}

/**
 * Every wait on PostgreSQL is bounded, so a dead or frozen database becomes an error (503 on
 * the gateway and the API, the "database unavailable" page on the console) instead of a hang:
 * - connecting, and waiting for a free pooled connection: connectMs;
 * - a statement: statementMs, enforced by the server (statement_timeout, which cancels the
 *   statement cleanly) and, a little later, by the client (query_timeout), for a server that no
 *   longer answers at all.
 */
export function createDb(databaseUrl: string, max = 10, timeouts: DbTimeouts = dbTimeouts()): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 500,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { keygateDb?: PrismaClient };

/** The process-wide client (one per process; survives Next.js dev reloads). */
export function getDb(): PrismaClient {
  if (!globalForDb.keygateDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
    globalForDb.keygateDb = createDb(url);
  }
  return globalForDb.keygateDb;
}
