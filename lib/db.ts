import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { isUnstorableText, markIfDatabaseUnavailable } from "./db-errors";
import { badRequest } from "./errors";
import { getEnv } from "./env";

export type Db = PrismaClient;
/** A client or an interactive transaction: core functions accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type DbTimeouts = { connectMs: number; poolWaitMs: number; statementMs: number };

export function dbTimeouts(): DbTimeouts {
  const env = getEnv();
  return {
    connectMs: env.KEYGATE_DB_CONNECT_TIMEOUT_MS,
    poolWaitMs: env.KEYGATE_DB_POOL_TIMEOUT_MS,
    statementMs: env.KEYGATE_DB_STATEMENT_TIMEOUT_MS,
  };
}

/** A queued request may still have to open its connection: never wait less than that. */
const poolWait = (t: DbTimeouts) => Math.max(t.poolWaitMs, t.connectMs);

/**
 * Pool settings where every wait on PostgreSQL is bounded, so a dead or frozen database becomes
 * an error (503 on the gateway and the API, the "database unavailable" page on the console)
 * instead of a hang:
 * - opening a connection: connectMs. During an outage most requests need a new connection (one
 *   whose statement timed out is dropped), so this is what they wait, and it stays short;
 * - waiting for a free pooled connection: poolWaitMs. pg-pool has one setting for both waits, so
 *   the pool gets the longer one and its clients the short one: a burst that queues on a busy
 *   host is not mistaken for an outage;
 * - a statement: statementMs, enforced by the server (statement_timeout, which cancels the
 *   statement cleanly) and, a little later, by the client (query_timeout), for a server that no
 *   longer answers at all.
 */
export function poolConfig(databaseUrl: string, max: number, timeouts: DbTimeouts = dbTimeouts()): pg.PoolConfig {
  class BoundedClient extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: timeouts.connectMs });
    }
  }
  return {
    connectionString: databaseUrl,
    max,
    Client: BoundedClient as unknown as new () => pg.ClientBase,
    connectionTimeoutMillis: poolWait(timeouts),
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 500,
  };
}

const UNSTORABLE_TEXT = "Text may not contain NUL characters (\\u0000) or invalid UTF-8.";

export function createDb(databaseUrl: string, max = 10, timeouts: DbTimeouts = dbTimeouts()): PrismaClient {
  const client = new PrismaClient({
    adapter: new PrismaPg(poolConfig(databaseUrl, max, timeouts)),
    // An interactive transaction waits for its connection like any query (Prisma's own default: 2 s).
    transactionOptions: { maxWait: poolWait(timeouts) },
  });
  // Whichever query or transaction fails because PostgreSQL is unreachable, its error carries the
  // outage digest, so the console's error boundary shows "database unavailable, retrying" and
  // recovers by itself (not "something went wrong"). Text PostgreSQL cannot store (a NUL byte)
  // that got past the input checks is the caller's error: 400, not 500 with a stack trace.
  // Neither wrapper changes a method's type.
  const marked = client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (err) {
          if (isUnstorableText(err)) throw badRequest(UNSTORABLE_TEXT);
          throw markIfDatabaseUnavailable(err);
        }
      },
    },
  }) as unknown as PrismaClient;
  // An interactive transaction that cannot get its connection fails outside any query.
  return new Proxy(marked, {
    get(target, prop, receiver) {
      if (prop !== "$transaction") return Reflect.get(target, prop, receiver);
      return (...args: Parameters<PrismaClient["$transaction"]>) =>
        (target.$transaction as (...a: typeof args) => Promise<unknown>)(...args).catch((err: unknown) => {
          throw markIfDatabaseUnavailable(err);
        });
    },
  });
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
