import type { Adapter } from "next-auth/adapters";
import { describe, expect, it, vi } from "vitest";
import { authLogger, notingSessionOutages, sessionLookupFailedRecently } from "../../lib/auth/session-outage";

const failingWith = (err: Error): Adapter => ({ getSessionAndUser: async () => Promise.reject(err) });

describe("session lookups that fail because the database is unavailable", () => {
  it("are noted for a few seconds; other failures are not", async () => {
    const bug = notingSessionOutages(failingWith(new Error("Unique constraint failed")));
    await expect(bug.getSessionAndUser!("t")).rejects.toThrow("Unique constraint");
    expect(sessionLookupFailedRecently()).toBe(false);

    const outage = notingSessionOutages(failingWith(new Error("Query read timeout")));
    await expect(outage.getSessionAndUser!("t")).rejects.toThrow("Query read timeout"); // next-auth still sees it
    expect(sessionLookupFailedRecently()).toBe(true);
    expect(sessionLookupFailedRecently(Date.now() + 10_000)).toBe(false);
  });
});

describe("next-auth's error log", () => {
  it("is one line for a session lookup lost to an outage, the whole error otherwise", () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // next-auth hands over the error itself or an object holding it.
      authLogger.error("SESSION_ERROR", new Error("timeout exceeded when trying to connect"));
      authLogger.error("SESSION_ERROR", { error: Object.assign(new Error("Can't reach database server"), { code: "P1001" }) });
      const bug = new Error("Cannot read properties of undefined");
      authLogger.error("SESSION_ERROR", { error: bug, providerId: "email" });
      expect(printed.mock.calls).toEqual([
        ["[auth] SESSION_ERROR: database unavailable"],
        ["[auth] SESSION_ERROR: database unavailable"],
        ["[next-auth][error][SESSION_ERROR]", { error: bug, providerId: "email" }],
      ]);
    } finally {
      printed.mockRestore();
    }
  });
});
