// Organization key policies: one row per organization (none = no limits). Read by the lib/keys
// and lib/shares functions that create, edit and share keys, so the console, the API and the
// CLI enforce exactly the same rules.
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { writeEvent } from "../events/write-event";
import type { OrgKeyPolicy } from "../generated/prisma/client";

const days = (max: number) => z.coerce.number().int("Enter whole days.").min(1, "At least 1 day.").max(max, `At most ${max} days.`);
/** Forms send "" for "no limit"; the API sends null. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === undefined ? null : v), schema.nullable());
const flag = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const keyPolicySchema = z.object({
  maxDaysMaster: optional(days(3650)),
  maxDaysSub: optional(days(3650)),
  maxDaysUser: optional(days(3650)),
  memberPlusMayCreateSub: flag,
  subKeysRequireBuckets: flag,
  subKeysRequirePrefix: flag,
  subKeysRequireCidrs: flag,
  sharingAllowed: flag,
  maxShareHours: optional(z.coerce.number().int("Enter whole hours.").min(1, "At least 1 hour.").max(720, "At most 720 hours (30 days).")),
  rotationPeriodDays: optional(days(3650)),
});
export type KeyPolicy = z.output<typeof keyPolicySchema>;

/** What an organization without a policy row gets: nothing limited beyond the product's own rules. */
export const DEFAULT_KEY_POLICY: KeyPolicy = {
  maxDaysMaster: null, maxDaysSub: null, maxDaysUser: null, memberPlusMayCreateSub: true, subKeysRequireBuckets: false,
  subKeysRequirePrefix: false, subKeysRequireCidrs: false, sharingAllowed: true, maxShareHours: null, rotationPeriodDays: null,
};

/** Names the policy in field errors and the settings page, so a refusal says which rule. */
export const POLICY_LABELS: Record<keyof KeyPolicy, string> = {
  maxDaysMaster: "Maximum lifetime of master keys",
  maxDaysSub: "Maximum lifetime of sub keys",
  maxDaysUser: "Maximum lifetime of region key pairs",
  memberPlusMayCreateSub: "Members+ may create sub keys",
  subKeysRequireBuckets: "Sub keys must be limited to chosen buckets",
  subKeysRequirePrefix: "Sub keys must be limited to an object prefix",
  subKeysRequireCidrs: "Sub keys must be limited to source IPs",
  sharingAllowed: "Keys may be shared by email",
  maxShareHours: "Longest share-link lifetime",
  rotationPeriodDays: "Rotation period",
};

function fromRow(row: OrgKeyPolicy | null): KeyPolicy {
  if (!row) return DEFAULT_KEY_POLICY;
  const { orgId: _o, updatedAt: _u, updatedById: _b, ...policy } = row;
  return policy;
}

export async function getKeyPolicy(db: Tx, orgId: string): Promise<KeyPolicy> {
  return fromRow(await db.orgKeyPolicy.findUnique({ where: { orgId } }));
}

/**
 * ADMIN only. Writes the whole policy and an org.key_policy_changed event listing what changed.
 * Existing keys are never changed: the ones a new rule would refuse show "Outside policy".
 */
export async function updateKeyPolicy(db: Db, ctx: OrgContext, input: unknown): Promise<KeyPolicy> {
  requirePermission(ctx, "members.manage");
  const policy = keyPolicySchema.parse(input);
  return db.$transaction(async (tx) => {
    const before = await getKeyPolicy(tx, ctx.orgId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of Object.keys(policy) as (keyof KeyPolicy)[]) {
      if (before[field] !== policy[field]) changes[field] = { from: before[field], to: policy[field] };
    }
    if (Object.keys(changes).length === 0) return before;
    await tx.orgKeyPolicy.upsert({
      where: { orgId: ctx.orgId },
      create: { orgId: ctx.orgId, ...policy, updatedById: ctx.actor.userId },
      update: { ...policy, updatedById: ctx.actor.userId },
    });
    await writeEvent(tx, { type: "org.key_policy_changed", orgId: ctx.orgId, actor: ctx.actor, data: { changes: changes as Record<string, { from: string | number | boolean | null; to: string | number | boolean | null }> } });
    return policy;
  });
}
