// Organization API tokens: created by an ADMIN, shown once, stored as a SHA-256 hash, expiring,
// revocable. A token carries the rights of the ADMIN who created it (lib/api/authenticate-org-token).
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { generateSecret, isValidSecretChecksum, SECRET_PREFIX } from "../keys/material";
import { displayName } from "../names";
import { hashToken } from "../tokens";

/**
 * "kgt_" + the body and checksum of a key secret (lib/keys/material): recognizable by prefix, and
 * a scanner (or our own authentication) tells a real token from noise offline by its checksum.
 */
export const ORG_TOKEN_PREFIX = "kgt_";
export const ORG_TOKEN_PATTERN = /^kgt_[0-9A-Za-z]{38}$/;
export const ORG_TOKEN_SCAN_PATTERN = /\bkgt_[0-9A-Za-z]{38}\b/g;
const DAY = 86_400_000;
export const ORG_TOKEN_MAX_DAYS = 366;
export const ORG_TOKEN_EXPIRY_PRESETS = { "7d": 7, "30d": 30, "90d": 90, "1y": 365 } as const;

export function generateOrgToken(): string {
  return ORG_TOKEN_PREFIX + generateSecret().slice(SECRET_PREFIX.length);
}

/** True for a well-formed token with a matching checksum; pure, offline. */
export function isOrgTokenFormat(token: string): boolean {
  return ORG_TOKEN_PATTERN.test(token) && isValidSecretChecksum(SECRET_PREFIX + token.slice(ORG_TOKEN_PREFIX.length));
}

export const createOrgTokenSchema = z.object({
  name: displayName(1, 64),
  expiry: z.enum(["7d", "30d", "90d", "1y", "custom"], { error: "Choose an expiry." }).default("30d"),
  expiresAt: z.string().trim().optional(),
}).transform((v, ctx) => {
  if (v.expiry !== "custom") return { name: v.name, expiresAt: new Date(Date.now() + ORG_TOKEN_EXPIRY_PRESETS[v.expiry] * DAY) };
  const date = v.expiresAt ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(v.expiresAt) ? `${v.expiresAt}T23:59:59Z` : v.expiresAt) : null;
  const problem = !date || Number.isNaN(date.getTime()) ? "Enter a valid date."
    : date.getTime() <= Date.now() ? "The expiry date must be in the future."
    : date.getTime() > Date.now() + ORG_TOKEN_MAX_DAYS * DAY ? "Choose a date within a year." : null;
  if (problem) {
    ctx.addIssue({ code: "custom", path: ["expiresAt"], message: problem });
    return z.NEVER;
  }
  return { name: v.name, expiresAt: date! };
});

export type OrgTokenStatus = "Active" | "Expired" | "Revoked";
export function orgTokenStatus(t: { revokedAt: Date | null; expiresAt: Date }, now = new Date()): OrgTokenStatus {
  if (t.revokedAt) return "Revoked";
  return t.expiresAt.getTime() <= now.getTime() ? "Expired" : "Active";
}

/** ADMIN only. Returns the token: it exists only in this return value. */
export async function createOrgToken(db: Db, ctx: OrgContext, input: z.input<typeof createOrgTokenSchema>) {
  requirePermission(ctx, "members.manage");
  const { name, expiresAt } = createOrgTokenSchema.parse(input);
  const token = generateOrgToken();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.orgApiToken.create({
      data: { orgId: ctx.orgId, name, tokenHash: hashToken(token), tokenLast4: token.slice(-4), createdById: ctx.actor.userId, expiresAt },
    });
    await writeEvent(tx, { type: "api_token.created", orgId: ctx.orgId, actor: ctx.actor, data: { tokenId: created.id, name, expiresAt: expiresAt.toISOString() } });
    return created;
  });
  return { id: row.id, name: row.name, token, tokenLast4: row.tokenLast4, expiresAt: row.expiresAt, createdAt: row.createdAt };
}

export async function listOrgTokens(db: Db, ctx: OrgContext) {
  requirePermission(ctx, "members.manage");
  const rows = await db.orgApiToken.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, tokenLast4: true, createdById: true, createdAt: true, expiresAt: true, revokedAt: true, lastUsedAt: true, lastUsedIp: true },
  });
  const creators = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, email: true } });
  const email = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map((r) => ({ ...r, createdByEmail: email.get(r.createdById) ?? null, status: orgTokenStatus(r) }));
}

/** Takes effect on the next API call. Revoking a revoked token changes nothing. */
export async function revokeOrgToken(db: Db, ctx: OrgContext, tokenId: string) {
  requirePermission(ctx, "members.manage");
  return db.$transaction(async (tx) => {
    const token = await tx.orgApiToken.findFirst({ where: { id: tokenId, orgId: ctx.orgId } });
    if (!token) throw notFound("API token not found");
    if (token.revokedAt) return token;
    const revoked = await tx.orgApiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await writeEvent(tx, { type: "api_token.revoked", orgId: ctx.orgId, actor: ctx.actor, data: { tokenId: token.id, name: token.name } });
    return revoked;
  });
}
