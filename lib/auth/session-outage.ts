// next-auth swallows the error of a session lookup and reports "no session". When that error
// said "database unavailable", the console must show its outage page, not the sign-in page:
// the adapter notes the time here, and the session check trusts it for a few seconds instead of
// spending up to another second on a readiness probe (the outage page then comes within the
// database timeouts, about 2 s). Per process; globalThis because Next.js may load this module
// once per bundle layer.
import type { Adapter } from "next-auth/adapters";
import type { LoggerInstance } from "next-auth";
import { isDatabaseUnavailable } from "../db-errors";

const TRUST_MS = 5000;
const state = globalThis as unknown as { keygateSessionOutageAt?: number };

/** The adapter, noting when a session lookup failed because the database is unavailable. */
export function notingSessionOutages(adapter: Adapter): Adapter {
  const lookup = adapter.getSessionAndUser;
  if (!lookup) return adapter;
  return {
    ...adapter,
    async getSessionAndUser(sessionToken) {
      try {
        return await lookup(sessionToken);
      } catch (err) {
        if (isDatabaseUnavailable(err)) state.keygateSessionOutageAt = Date.now();
        throw err;
      }
    },
  };
}

export const sessionLookupFailedRecently = (now = Date.now()) => now - (state.keygateSessionOutageAt ?? -Infinity) < TRUST_MS;

/**
 * next-auth's error log. A session lookup that failed because the database is unavailable is one
 * line: the outage already shows on the console's outage page, in readiness and in the database
 * log, and next-auth would print two stack traces for every page view meanwhile. Any other error
 * is printed whole.
 */
export const authLogger: Pick<LoggerInstance, "error"> = {
  error(code, metadata) {
    const err = metadata instanceof Error ? metadata : metadata?.error;
    if (isDatabaseUnavailable(err)) console.error(`[auth] ${code}: database unavailable`);
    else console.error(`[next-auth][error][${code}]`, metadata);
  },
};
