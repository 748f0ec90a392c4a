// The credential report (like AWS's, for a whole organization): one row per key with its age,
// use and policy findings. ADMIN only. Three queries whatever the number of keys: the policy,
// the keys with owner and project, and one GROUP BY of the last 30 days' allowed requests.
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Tx } from "../db";
import type { KeyKind } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { keyStatusWhere } from "../keys/list-keys";
import { keyStatus, type KeyStatus } from "../keys/status";
import { rotationDue } from "../policies/enforce-policy";
import { getKeyPolicy, type KeyPolicy } from "../policies/key-policy";

const DAY = 86_400_000;
/** Days after creation before an unused key is flagged "never used". */
export const NEVER_USED_AFTER_DAYS = 7;
/** Keys expiring within this many days are flagged "expiring". */
export const EXPIRING_WITHIN_DAYS = 7;
export const DEFAULT_UNUSED_DAYS = 90;
export const REQUEST_WINDOW_DAYS = 30;
/** A report is one page; past this many keys it says it was cut (narrow it with the filters). */
export const REPORT_MAX_ROWS = 5000;

export const FINDINGS = ["never_used", "unused", "expiring", "rotation_due"] as const;
export type Finding = (typeof FINDINGS)[number];
export const FINDING_LABELS: Record<Finding, string> = {
  never_used: "Never used", unused: "Unused", expiring: "Expiring soon", rotation_due: "Rotation due",
};

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
export const credentialReportFiltersSchema = z.object({
  projectId: z.preprocess(blankToUndefined, z.string().max(64).optional()),
  kind: z.preprocess(blankToUndefined, z.enum(["MASTER", "SUB", "USER"]).optional()),
  /** "live" (default): active and disabled keys, the ones that can still be used or switched back on. */
  status: z.preprocess(blankToUndefined, z.enum(["live", "active", "disabled", "expired", "revoked", "all"]).default("live")),
  finding: z.preprocess(blankToUndefined, z.enum([...FINDINGS, "any"]).optional()),
  /** The "unused" threshold in days (default 90). */
  unusedDays: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(3650).default(DEFAULT_UNUSED_DAYS)),
});
export type CredentialReportFilters = z.output<typeof credentialReportFiltersSchema>;

export type CredentialReportRow = {
  keyId: string; name: string; kind: KeyKind; accessKeyId: string; regionId: string; imported: boolean; status: KeyStatus;
  projectId: string; projectName: string; ownerEmail: string; ownerName: string | null;
  createdAt: Date; ageDays: number; rotatedAt: Date | null;
  lastUsedAt: Date | null; lastUsedIp: string | null; lastUsedOp: string | null;
  allowedRequests30d: number; expiresAt: Date | null; expiresInDays: number | null; findings: Finding[];
};
export type CredentialReport = { generatedAt: Date; filters: CredentialReportFilters; rows: CredentialReportRow[]; truncated: boolean };

type KeyFacts = { createdAt: Date; rotatedAt: Date | null; lastUsedAt: Date | null; expiresAt: Date | null; status: KeyStatus };

/**
 * A key's findings at `now`. Only keys that still work or can be switched back on (Active,
 * Disabled) have findings: a revoked or expired key needs no attention.
 */
export function keyFindings(key: KeyFacts, policy: KeyPolicy, now: Date, unusedDays = DEFAULT_UNUSED_DAYS): Finding[] {
  if (key.status !== "Active" && key.status !== "Disabled") return [];
  const t = now.getTime();
  const out: Finding[] = [];
  if (!key.lastUsedAt && t - key.createdAt.getTime() >= NEVER_USED_AFTER_DAYS * DAY) out.push("never_used");
  if (key.lastUsedAt && t - key.lastUsedAt.getTime() >= unusedDays * DAY) out.push("unused");
  if (key.expiresAt && key.expiresAt.getTime() - t <= EXPIRING_WITHIN_DAYS * DAY) out.push("expiring");
  if (rotationDue(policy, key, now)) out.push("rotation_due");
  return out;
}

function statusWhere(status: CredentialReportFilters["status"], now: Date): Prisma.AccessKeyWhereInput {
  if (status === "live") return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  return keyStatusWhere(status, now);
}

/** Allowed S3 requests per key since `since`: one GROUP BY on the (keyId, at) index. */
async function allowedRequestCounts(db: Tx, orgId: string, keyIds: string[], since: Date): Promise<Map<string, number>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ keyId: string; n: bigint }[]>`
    SELECT "keyId", count(*) AS n FROM "Event"
    WHERE "keyId" = ANY(${keyIds}::text[]) AND "orgId" = ${orgId} AND "type" = 'key.request' AND "outcome" = 'allowed' AND "at" >= ${since}
    GROUP BY "keyId"`;
  return new Map(rows.map((r) => [r.keyId, Number(r.n)]));
}

export async function getCredentialReport(db: Tx, ctx: OrgContext, input: unknown = {}, now = new Date()): Promise<CredentialReport> {
  requirePermission(ctx, "keys.manage_all");
  const filters = credentialReportFiltersSchema.parse(input);
  const where: Prisma.AccessKeyWhereInput = {
    AND: [{ orgId: ctx.orgId }, statusWhere(filters.status, now), filters.projectId ? { projectId: filters.projectId } : {}, filters.kind ? { kind: filters.kind } : {}],
  };
  const [policy, keys] = await Promise.all([
    getKeyPolicy(db, ctx.orgId),
    db.accessKey.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: REPORT_MAX_ROWS + 1,
      select: {
        id: true, name: true, kind: true, accessKeyId: true, regionId: true, imported: true, createdAt: true, rotatedAt: true, expiresAt: true,
        revokedAt: true, disabledAt: true, lastUsedAt: true, lastUsedIp: true, lastUsedOp: true, projectId: true,
        project: { select: { name: true } }, owner: { select: { email: true, name: true } },
      },
    }),
  ]);
  const page = keys.slice(0, REPORT_MAX_ROWS);
  const counts = await allowedRequestCounts(db, ctx.orgId, page.map((k) => k.id), new Date(now.getTime() - REQUEST_WINDOW_DAYS * DAY));
  const rows = page.map((k): CredentialReportRow => {
    const status = keyStatus(k, now);
    return {
      keyId: k.id, name: k.name, kind: k.kind, accessKeyId: k.accessKeyId, regionId: k.regionId, imported: k.imported, status,
      projectId: k.projectId, projectName: k.project.name, ownerEmail: k.owner.email, ownerName: k.owner.name,
      createdAt: k.createdAt, ageDays: Math.floor((now.getTime() - k.createdAt.getTime()) / DAY), rotatedAt: k.rotatedAt,
      lastUsedAt: k.lastUsedAt, lastUsedIp: k.lastUsedIp, lastUsedOp: k.lastUsedOp, allowedRequests30d: counts.get(k.id) ?? 0,
      expiresAt: k.expiresAt, expiresInDays: k.expiresAt ? Math.floor((k.expiresAt.getTime() - now.getTime()) / DAY) : null,
      findings: keyFindings({ ...k, status }, policy, now, filters.unusedDays),
    };
  });
  // The finding filter runs on computed findings (they depend on the policy and `now`, not on one column).
  const filtered = filters.finding
    ? rows.filter((r) => (filters.finding === "any" ? r.findings.length > 0 : r.findings.includes(filters.finding as Finding)))
    : rows;
  return { generatedAt: now, filters, rows: filtered, truncated: keys.length > REPORT_MAX_ROWS };
}
