import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../lib/db-errors";

describe("isDatabaseUnavailable", () => {
  // Shapes observed from pg, pg-pool and Prisma 7 (adapter-pg) with PostgreSQL frozen or killed.
  it.each([
    new Error("timeout exceeded when trying to connect"),
    new Error("Connection terminated due to connection timeout", { cause: new Error("Connection terminated unexpectedly") }),
    new Error("Query read timeout"),
    Object.assign(new Error("\nInvalid `prisma.$queryRaw()` invocation:\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`"), { code: "P2010" }),
    Object.assign(new Error("Raw query failed. Code: `57014`. Message: `canceling statement due to statement timeout`"), { code: "P2010" }),
    Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "08006" }) }),
  ])("%s → unavailable", (err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    new Error("Unique constraint failed on the fields: (`name`)"),
    Object.assign(new Error("duplicate key"), { code: "P2002" }),
    Object.assign(new Error("syntax error"), { code: "42601" }),
    "a string",
    null,
  ])("%s → a bug, not an outage", (err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
