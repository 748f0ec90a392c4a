// The checks each key and share operation makes against its organization's key policy. Every
// refusal is a 400/403 AppError (code "policy_violation") whose field errors name the policy.
import type { OrgContext } from "../auth/context";
import { AppError } from "../errors";
import type { KeyKind } from "../generated/prisma/enums";
import { type KeyPolicy, POLICY_LABELS } from "./key-policy";

const DAY = 86_400_000;

const refuse = (status: 400 | 403, field: string, policy: keyof KeyPolicy, detail: string) => {
  const message = `Organization key policy "${POLICY_LABELS[policy]}": ${detail}`;
  return new AppError(status, "policy_violation", message, { [field]: [message] });
};

export const maxDaysFor = (policy: KeyPolicy, kind: KeyKind) =>
  kind === "MASTER" ? policy.maxDaysMaster : kind === "SUB" ? policy.maxDaysSub : policy.maxDaysUser;
const maxDaysField = (kind: KeyKind): keyof KeyPolicy => (kind === "MASTER" ? "maxDaysMaster" : kind === "SUB" ? "maxDaysSub" : "maxDaysUser");

/** A key's expiry, set at `from` (creation or edit), must be within the kind's maximum lifetime. */
export function checkLifetime(policy: KeyPolicy, kind: KeyKind, expiresAt: Date | null, from = new Date()): void {
  const max = maxDaysFor(policy, kind);
  if (max === null) return;
  // One minute of slack: "30 days" chosen in a form is computed a moment before this check.
  if (expiresAt === null || expiresAt.getTime() > from.getTime() + max * DAY + 60_000) {
    throw refuse(400, "expiresAt", maxDaysField(kind), `choose an expiry at most ${max} day${max === 1 ? "" : "s"} from now.`);
  }
}

/** Who may create sub keys. */
export function checkMayCreateSub(policy: KeyPolicy, ctx: OrgContext): void {
  if (ctx.role === "MEMBER_PLUS" && !policy.memberPlusMayCreateSub) {
    throw refuse(403, "_form", "memberPlusMayCreateSub", "only admins may create sub keys in this organization.");
  }
}

type SubScope = { allBuckets: boolean; prefix: string | null; allowedCidrs: string[] };

/** The limits a sub key must carry. */
export function checkSubScope(policy: KeyPolicy, scope: SubScope): void {
  const problems = subScopeViolations(policy, scope);
  if (problems.length === 0) return;
  const fields: Record<string, string[]> = {};
  for (const p of problems) fields[p.field] = [p.message];
  throw new AppError(400, "policy_violation", problems.map((p) => p.message).join(" "), fields);
}

function subScopeViolations(policy: KeyPolicy, scope: SubScope) {
  const out: { field: string; message: string }[] = [];
  const add = (field: string, rule: keyof KeyPolicy, detail: string) => out.push({ field, message: `Organization key policy "${POLICY_LABELS[rule]}": ${detail}` });
  if (policy.subKeysRequireBuckets && scope.allBuckets) add("bucketIds", "subKeysRequireBuckets", "choose the buckets this key may use.");
  if (policy.subKeysRequirePrefix && !scope.prefix) add("prefix", "subKeysRequirePrefix", "enter an object prefix.");
  if (policy.subKeysRequireCidrs && scope.allowedCidrs.length === 0) add("allowedCidrs", "subKeysRequireCidrs", "enter the source IP ranges.");
  return out;
}

/** Sharing by email, and the link's lifetime: returns the hours to use (the default capped by the policy). */
export function checkShare(policy: KeyPolicy, ttlHours: number | undefined, defaultHours: number): number {
  if (!policy.sharingAllowed) throw refuse(403, "_form", "sharingAllowed", "keys may not be shared by email in this organization.");
  const max = policy.maxShareHours;
  if (max === null) return ttlHours ?? defaultHours;
  if (ttlHours !== undefined && ttlHours > max) throw refuse(400, "ttlHours", "maxShareHours", `share links may work at most ${max} hours.`);
  return Math.min(ttlHours ?? defaultHours, max);
}

type KeyFacts = {
  kind: KeyKind; createdAt: Date; expiresAt: Date | null; rotatedAt: Date | null; allBuckets: boolean; prefix: string | null; allowedCidrs: string[];
};

/**
 * Why an existing key would not be allowed today (a policy adopted after it was made): shown as
 * "Outside policy" in lists; the key itself is never changed.
 */
export function outsidePolicy(policy: KeyPolicy, key: KeyFacts): string[] {
  const out: string[] = [];
  const max = maxDaysFor(policy, key.kind);
  if (max !== null && (key.expiresAt === null || key.expiresAt.getTime() - key.createdAt.getTime() > max * DAY + 60_000)) {
    out.push(`${POLICY_LABELS[maxDaysField(key.kind)]}: ${max} days`);
  }
  if (key.kind === "SUB") out.push(...subScopeViolations(policy, key).map((p) => p.message.replace(/^Organization key policy "([^"]+)".*$/, "$1")));
  return out;
}

/** "Rotation due": the secret is older than the organization's rotation period. */
export function rotationDue(policy: KeyPolicy, key: Pick<KeyFacts, "createdAt" | "rotatedAt">, now = new Date()): boolean {
  if (policy.rotationPeriodDays === null) return false;
  return now.getTime() - (key.rotatedAt ?? key.createdAt).getTime() > policy.rotationPeriodDays * DAY;
}

type FlaggedKey = KeyFacts & { revokedAt: Date | null; disabledAt: Date | null; previousSecretUntil?: Date | null };

/**
 * The flags a key list shows next to a key that still works (active or disabled): the policies
 * it is outside of, "rotation due", and the end of an open rotation overlap window (else null).
 * A revoked or expired key needs no attention and gets none.
 */
export function keyFlags(policy: KeyPolicy, key: FlaggedKey, now = new Date()) {
  const live = key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
  const overlap = key.previousSecretUntil && key.previousSecretUntil > now ? key.previousSecretUntil : null;
  return { outsidePolicy: live ? outsidePolicy(policy, key) : [], rotationDue: live && rotationDue(policy, key, now), previousSecretUntil: live ? overlap : null };
}
