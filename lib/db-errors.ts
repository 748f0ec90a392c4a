// Which errors mean "PostgreSQL is unreachable, frozen or overloaded" (retry later: 503 and the
// console's "database unavailable" page) rather than a bug (500). Shapes seen from pg, pg-pool
// and Prisma 7 with @prisma/adapter-pg when the server is killed, stopped or restarting.

/** Seconds clients are told to wait (Retry-After) before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Next.js keeps an error's own digest when it sends a server error to the browser's boundary. */
export const DATABASE_UNAVAILABLE_DIGEST = "KEYGATE_DATABASE_UNAVAILABLE";

const UNAVAILABLE_MESSAGES = [
  "timeout exceeded when trying to connect", // pg-pool: no connection within connectionTimeoutMillis
  "connection terminated", // pg: connect timeout, server gone mid-query
  "timeout expired", // pg client: no connection within its connectionTimeoutMillis
  "query read timeout", // pg: query_timeout, the server no longer answers
  "can't reach database server", // Prisma: connection refused
  "server has closed the connection",
  "canceling statement due to statement timeout",
  "the database system is", // starting up, shutting down, in recovery mode
  "terminating connection due to administrator command",
  "database lookup timed out", // gateway key store's own limit
];

// SQLSTATE classes 08 (connection exception) and 57 (operator intervention: 57014 statement
// timeout, 57P01 admin shutdown, 57P03 cannot connect now); Prisma P1001/P1002/P1008/P1017/P2024.
const UNAVAILABLE_CODES = /^(08...|57...|P1001|P1002|P1008|P1017|P2024|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;

export function isDatabaseUnavailable(err: unknown): boolean {
  if ((err as { digest?: unknown } | null)?.digest === DATABASE_UNAVAILABLE_DIGEST) return true;
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, kind } = e as { code?: unknown; message?: unknown; kind?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) return true;
    if (kind === "DatabaseNotReachable" || kind === "SocketTimeout" || kind === "ConnectionClosed") return true;
    const text = typeof message === "string" ? message.toLowerCase() : "";
    if (UNAVAILABLE_MESSAGES.some((m) => text.includes(m))) return true;
    // Prisma's raw-query wrapper carries the driver's SQLSTATE only in its message.
    if (/code: `(08...|57...)`/i.test(text)) return true;
  }
  return false;
}

/** Gives a "database unavailable" error the outage digest (in place: its type and code stay). */
export function markIfDatabaseUnavailable(err: unknown): unknown {
  if (err instanceof Error && isDatabaseUnavailable(err)) Object.assign(err, { digest: DATABASE_UNAVAILABLE_DIGEST });
  return err;
}

export class DatabaseUnavailableError extends Error {
  readonly digest = DATABASE_UNAVAILABLE_DIGEST;
  constructor(cause?: unknown) {
    super("The database is unavailable", { cause });
    this.name = "DatabaseUnavailableError";
  }
}

/**
 * Text PostgreSQL cannot store: a NUL character (U+0000) or a byte sequence invalid in UTF-8
 * (SQLSTATE 22021, 22P05). Input that reached a query with such text is the caller's error
 * (400), not ours: the boundaries reject it first where they can, this catches the rest.
 */
export function isUnstorableText(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const code = e?.meta?.driverAdapterError?.cause?.originalCode ?? e?.code;
  if (code === "22021" || code === "22P05") return true;
  return typeof e?.message === "string" && /Code: `(22021|22P05)`/.test(e.message);
}
