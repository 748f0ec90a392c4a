import type { Tx } from "./db";
import { getEnv } from "./env";
import { notFound } from "./errors";

/**
 * Instance operators are the emails in KEYGATE_OPERATOR_EMAILS (lower-cased by lib/env).
 * Operators read everything and change nothing; the operator area is read-only.
 */
export function isOperator(email: string | null | undefined, operatorEmails: readonly string[] = getEnv().operatorEmails): boolean {
  return !!email && operatorEmails.includes(email.trim().toLowerCase());
}

/** 404 (not 403) for everyone else, so the operator area does not reveal that it exists. */
export function requireOperator(actor: { email: string } | null, operatorEmails?: readonly string[]): void {
  if (!actor || !isOperator(actor.email, operatorEmails)) throw notFound();
}

export type OrganizationOverview = {
  id: string; name: string; createdAt: Date; members: number; projects: number; active: number; disabled: number; expired: number; revoked: number;
};

/** Every organization with its key counts by status (derived as in lib/keys/status.ts). */
export async function listOrganizationsOverview(db: Tx, now = new Date()): Promise<OrganizationOverview[]> {
  const rows = await db.$queryRaw<(Omit<OrganizationOverview, "members" | "projects" | "active" | "disabled" | "expired" | "revoked"> & Record<"members" | "projects" | "active" | "disabled" | "expired" | "revoked", bigint>)[]>`
    SELECT o."id", o."name", o."createdAt",
      (SELECT count(*) FROM "Membership" m WHERE m."orgId" = o."id") AS members,
      (SELECT count(*) FROM "Project" p WHERE p."orgId" = o."id") AS projects,
      count(k."id") FILTER (WHERE k."revokedAt" IS NULL AND k."disabledAt" IS NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now})) AS active,
      count(k."id") FILTER (WHERE k."revokedAt" IS NULL AND k."disabledAt" IS NOT NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now})) AS disabled,
      count(k."id") FILTER (WHERE k."revokedAt" IS NULL AND k."expiresAt" <= ${now}) AS expired,
      count(k."id") FILTER (WHERE k."revokedAt" IS NOT NULL) AS revoked
    FROM "Organization" o LEFT JOIN "AccessKey" k ON k."orgId" = o."id"
    GROUP BY o."id"
    ORDER BY lower(o."name"), o."id"`;
  return rows.map((r) => ({
    ...r, members: Number(r.members), projects: Number(r.projects), active: Number(r.active), disabled: Number(r.disabled), expired: Number(r.expired), revoked: Number(r.revoked),
  }));
}

/**
 * Keys the operator's event filter suggests by name (with their organization), newest first:
 * one organization's when the view is filtered to one, else the instance's newest 1,000. Any
 * other key can still be typed in by its access key ID.
 */
export async function listInstanceKeyChoices(db: Tx, orgId?: string) {
  const keys = await db.accessKey.findMany({
    where: orgId ? { orgId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 1000,
    select: { name: true, accessKeyId: true, revokedAt: true, org: { select: { name: true } } },
  });
  return keys.map((k) => ({ name: k.name, accessKeyId: k.accessKeyId, revokedAt: k.revokedAt, orgName: k.org.name }));
}
