/**
 * Limits on outgoing email, so neither a stranger nor a freshly made organization can use
 * Keygate to mail arbitrary addresses in bulk. Counters are rows of the shared RateLimit table
 * (fixed windows, one atomic upsert each), so every web process sees the same counts.
 */
import { consumeRateLimit } from "../api/rate-limit";
import type { Tx } from "../db";
import { tooManyRequests } from "../errors";
import { ipInCidrs } from "../keys/cidr";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const EMAIL_LIMITS = {
  signInPerRecipient: { limit: 5, windowMs: HOUR },
  signInPerIp: { limit: 20, windowMs: HOUR },
  invitationsPerOrg: { limit: 25, windowMs: DAY },
  sharesPerOrg: { limit: 50, windowMs: DAY },
} as const;

// Loopback is this machine (local tools, tests, or a proxy on the same host that was not listed
// in KEYGATE_TRUSTED_PROXIES, where every client would share one address): no per-IP count.
const LOOPBACK = ["127.0.0.0/8", "::1/128"];

/**
 * Counts one sign-in email; false when the client's network or the recipient is over its limit.
 * A network over its limit is refused before the recipient is counted, so its requests for ever
 * new addresses add no rows.
 */
export async function consumeSignInEmail(db: Tx, args: { email: string; ip: string | null }): Promise<boolean> {
  if (!args.ip || !ipInCidrs(args.ip, LOOPBACK)) {
    const from = await consumeRateLimit(db, `email:signin:ip:${args.ip ?? "unknown"}`, EMAIL_LIMITS.signInPerIp.limit, EMAIL_LIMITS.signInPerIp.windowMs);
    if (!from.allowed) return false;
  }
  const to = await consumeRateLimit(db, `email:signin:to:${args.email.toLowerCase()}`, EMAIL_LIMITS.signInPerRecipient.limit, EMAIL_LIMITS.signInPerRecipient.windowMs);
  return to.allowed;
}

/** Counts one invitation or share email of an organization; throws 429 with a clear message over the daily limit. */
export async function consumeOrgEmail(db: Tx, orgId: string, kind: "invitation" | "share"): Promise<void> {
  const rule = kind === "invitation" ? EMAIL_LIMITS.invitationsPerOrg : EMAIL_LIMITS.sharesPerOrg;
  const res = await consumeRateLimit(db, `email:${kind}:org:${orgId}`, rule.limit, rule.windowMs);
  if (!res.allowed) {
    const hours = Math.max(1, Math.ceil(res.retryAfterSeconds / 3600));
    throw tooManyRequests(`This organization has sent its ${rule.limit} ${kind === "invitation" ? "invitations" : "share emails"} for today. No email was sent; try again in ${hours} hour${hours === 1 ? "" : "s"}.`);
  }
}
