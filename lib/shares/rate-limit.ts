import { consumeRateLimit, type RateLimitResult } from "../api/rate-limit";
import type { Tx } from "../db";
import { tooManyRequests } from "../errors";

// The fixed-window counter itself (one atomic upsert on the RateLimit table, shared by every web
// process) already lives in lib/api/rate-limit.ts for the management API; it is re-exported here
// so share code and later callers use one implementation, not two.
export { consumeRateLimit, type RateLimitResult };

/**
 * Reveal attempts on share links. Per IP: stops one client from trying many links or addresses.
 * Per link: stops guessing the recipient address from many IPs (X-Forwarded-For can be forged
 * when no proxy strips it, so the per-IP limit alone is not enough). Every attempt counts,
 * successful or not, so a wrong address costs as much as any other try.
 */
export const SHARE_IP_LIMIT = { limit: 10, windowMs: 15 * 60_000 } as const;
export const SHARE_LINK_LIMIT = { limit: 5, windowMs: 60 * 60_000 } as const;

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/**
 * Counts one reveal attempt against the caller's IP and the link (by token hash, so unknown
 * links are limited too and the token itself is never stored). Throws 429 when either is over.
 * Runs outside any transaction: a refused attempt must still be counted. A client over its IP
 * limit is refused before its link is counted, so its guesses at random tokens add no rows.
 */
export async function consumeShareAttempt(db: Tx, args: { ip: string | null; tokenHash: string }): Promise<void> {
  const ip = await consumeRateLimit(db, `share:ip:${args.ip ?? "unknown"}`, SHARE_IP_LIMIT.limit, SHARE_IP_LIMIT.windowMs);
  if (!ip.allowed) {
    throw tooManyRequests(`Too many attempts from your network. Try again in ${minutes(ip.retryAfterSeconds)} minutes.`);
  }
  const link = await consumeRateLimit(db, `share:link:${args.tokenHash}`, SHARE_LINK_LIMIT.limit, SHARE_LINK_LIMIT.windowMs);
  if (!link.allowed) {
    throw tooManyRequests(`Too many attempts for this link. Try again in ${minutes(link.retryAfterSeconds)} minutes, or ask the sender to share the key again.`);
  }
}
