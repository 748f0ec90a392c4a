// The database timeouts of lib/db.ts against the real test PostgreSQL: opening a connection is
// bounded by the (short) connect timeout, waiting for a pooled one by the (longer) pool timeout,
// so an outage surfaces quickly while a burst that queues on a busy host is not refused.
import { describe, expect, inject, it, vi } from "vitest";
import { createDb } from "../../lib/db";
import { DATABASE_UNAVAILABLE_DIGEST, isDatabaseUnavailable } from "../../lib/db-errors";
import { freezableProxy } from "./freezable-proxy";

async function timed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await work;
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

/** Prisma queries start when awaited; give the started one time to take the pool's only connection. */
vi.mock("server-only", () => ({}));
const { DATABASE_UNAVAILABLE_MESSAGE, runAction } = await import("../../lib/run-action");

const holding = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("database timeouts", () => {
  it("a connection that cannot be opened fails within the connect timeout, as 'database unavailable'", async () => {
    const proxy = await freezableProxy(inject("databaseUrl"));
    proxy.freeze(); // accepts the TCP connection, never greets: a SIGSTOPped server
    const db = createDb(proxy.url, 2, { connectMs: 500, poolWaitMs: 10_000, statementMs: 5000 });
    try {
      const res = await timed(db.$queryRaw`select 1`);
      expect(res.error).toBeDefined();
      expect(isDatabaseUnavailable(res.error)).toBe(true);
      expect(res.ms).toBeGreaterThanOrEqual(450);
      expect(res.ms).toBeLessThan(3000); // the connect timeout, not the 10 s pool timeout
    } finally {
      proxy.thaw();
      await db.$disconnect();
      await proxy.close();
    }
  });

  it("a request queued behind a busy connection waits past the connect timeout and succeeds", async () => {
    const db = createDb(inject("databaseUrl"), 1, { connectMs: 300, poolWaitMs: 10_000, statementMs: 5000 });
    try {
      await db.$queryRaw`select 1`; // the pool's one connection is open
      const slow = db.$queryRaw`select pg_sleep(1.2)::text as slept`.then(() => "done");
      await holding();
      const queued = await timed(db.$queryRaw<{ one: number }[]>`select 1 as one`);
      await slow;
      expect(queued.error).toBeUndefined();
      expect(queued.value).toEqual([{ one: 1 }]);
      expect(queued.ms).toBeGreaterThan(700); // it did wait for the busy connection
    } finally {
      await db.$disconnect();
    }
  });

  it("the wait for a pooled connection is bounded by the pool timeout", async () => {
    const db = createDb(inject("databaseUrl"), 1, { connectMs: 300, poolWaitMs: 600, statementMs: 5000 });
    try {
      await db.$queryRaw`select 1`;
      const slow = db.$queryRaw`select pg_sleep(2)::text as slept`.then(() => "done");
      await holding();
      const queued = await timed(db.$queryRaw`select 1`);
      await slow;
      expect(isDatabaseUnavailable(queued.error)).toBe(true);
      expect(queued.ms).toBeGreaterThanOrEqual(550);
      expect(queued.ms).toBeLessThan(1900);
    } finally {
      await db.$disconnect();
    }
  });

  it("every query, transaction and action that fails for an outage says so (the console's outage page, not 'something went wrong')", async () => {
    const proxy = await freezableProxy(inject("databaseUrl"));
    proxy.freeze();
    const db = createDb(proxy.url, 2, { connectMs: 300, poolWaitMs: 600, statementMs: 5000 });
    const digestOf = (e: unknown) => (e as { digest?: unknown }).digest;
    try {
      // Next.js sends an error's own digest to the browser's error boundary (app/error.tsx).
      expect(digestOf((await timed(db.user.findFirst())).error)).toBe(DATABASE_UNAVAILABLE_DIGEST);
      expect(digestOf((await timed(db.$queryRaw`select 1`)).error)).toBe(DATABASE_UNAVAILABLE_DIGEST);
      expect(digestOf((await timed(db.$transaction([db.user.count(), db.project.count()]))).error)).toBe(DATABASE_UNAVAILABLE_DIGEST);
      const interactive = await timed(db.$transaction((tx) => tx.user.count()));
      expect(digestOf(interactive.error)).toBe(DATABASE_UNAVAILABLE_DIGEST);
      // A server action answers its form with a clear message; the form keeps its input.
      expect(await runAction(() => db.user.count())).toEqual({ ok: false, error: DATABASE_UNAVAILABLE_MESSAGE });
    } finally {
      proxy.thaw();
      await db.$disconnect();
      await proxy.close();
    }
  });

  it("a query's own error keeps its type and gets no outage digest", async () => {
    const db = createDb(inject("databaseUrl"), 1);
    try {
      const res = await timed(db.$queryRaw`select * from no_such_table`);
      expect(res.error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(res.error)).toBe(false);
      expect((res.error as { digest?: unknown }).digest).toBeUndefined();
    } finally {
      await db.$disconnect();
    }
  });
});
