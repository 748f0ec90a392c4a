import type { Adapter } from "next-auth/adapters";
import { describe, expect, it } from "vitest";
import { notingSessionOutages, sessionLookupFailedRecently } from "../../lib/auth/session-outage";

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
