import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { badRequest } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { keyFlags } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getProjectOrThrow } from "../projects/projects";
import { activeKeyWhere, keyStatus } from "./status";
import { keyVisibilityWhere } from "./visibility";

export const PAGE_SIZE = 25;

type Cursor = { createdAt: Date; id: string };
export const encodeCursor = (c: Cursor) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");
/** Only what encodeCursor makes: an ISO time of this era and a key id (cuid). */
export function decodeCursor(s: string): Cursor {
  const [iso, id, extra] = Buffer.from(s, "base64url").toString().split("|");
  const createdAt = new Date(iso);
  const year = createdAt.getUTCFullYear();
  if (extra !== undefined || !/^[a-z0-9]{1,64}$/.test(id ?? "") || !(year >= 2000 && year <= 9999)) throw badRequest("Invalid page cursor.");
  return { createdAt, id };
}

export const KEY_STATUS_FILTERS = ["active", "disabled", "expired", "revoked", "all"] as const;
export type KeyStatusFilter = (typeof KEY_STATUS_FILTERS)[number];
export const parseKeyStatusFilter = (v: string | undefined): KeyStatusFilter =>
  (KEY_STATUS_FILTERS as readonly string[]).includes(v ?? "") ? (v as KeyStatusFilter) : "active";

/** The same rules as keyStatus(), as a query filter. */
export function keyStatusWhere(status: KeyStatusFilter, now = new Date()): Prisma.AccessKeyWhereInput {
  if (status === "active") return activeKeyWhere(now);
  if (status === "disabled") return { revokedAt: null, disabledAt: { not: null }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  if (status === "expired") return { revokedAt: null, expiresAt: { lte: now } };
  if (status === "revoked") return { revokedAt: { not: null } };
  return {};
}

/**
 * Keys of one kind in a project, newest first, keyset-paginated on (createdAt, id) so deep
 * pages cost the same as the first one and stay stable while keys are added.
 */
export async function listProjectKeys(db: Db, ctx: OrgContext, args: { projectId: string; kind: "MASTER" | "SUB"; after?: string; limit?: number; q?: string; status?: KeyStatusFilter }) {
  const visible = keyVisibilityWhere(ctx);
  await getProjectOrThrow(db, ctx, args.projectId);
  const limit = Math.min(Math.max(args.limit ?? PAGE_SIZE, 1), 100);
  const now = new Date();
  const where: Prisma.AccessKeyWhereInput = { AND: [visible, { projectId: args.projectId, kind: args.kind }, keyStatusWhere(args.status ?? "all", now)] };
  const q = args.q?.trim().slice(0, 100);
  if (q) (where.AND as Prisma.AccessKeyWhereInput[]).push(keySearchWhere(q));
  if (args.after) {
    const c = decodeCursor(args.after);
    (where.AND as Prisma.AccessKeyWhereInput[]).push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  const rows = await db.accessKey.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true, kind: true, name: true, accessKeyId: true, regionId: true, secretLast4: true, permissions: true, allBuckets: true,
      prefix: true, allowedCidrs: true, createdAt: true, expiresAt: true, revokedAt: true, disabledAt: true, rotatedAt: true, lastUsedAt: true, previousSecretUntil: true, imported: true,
      owner: { select: { email: true, name: true } },
      buckets: { select: { bucket: { select: { name: true } } }, orderBy: { bucket: { name: "asc" } } },
    },
  });
  const page = rows.slice(0, limit);
  const policy = await getKeyPolicy(db, ctx.orgId);
  return {
    keys: page.map(({ buckets, ...k }) => {
      return { ...k, bucketNames: buckets.map((b) => b.bucket.name), status: keyStatus(k, now), ...keyFlags(policy, k, now) };
    }),
    next: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

/** The key list's search box: name, description or access key id contain the text (any case). */
export function keySearchWhere(q: string): Prisma.AccessKeyWhereInput {
  return {
    OR: [
      { name: { contains: q, mode: "insensitive" } },
      { description: { contains: q, mode: "insensitive" } },
      { accessKeyId: { contains: q, mode: "insensitive" } },
    ],
  };
}

export async function countActiveMasterKeys(db: Db, ctx: OrgContext, projectId: string) {
  return db.accessKey.count({ where: { AND: [keyVisibilityWhere(ctx), { projectId, kind: "MASTER" }, activeKeyWhere()] } });
}

/** Keys the caller may see (optionally in one project), by name, for the events key picker. */
export async function listKeyChoices(db: Db, ctx: OrgContext, projectId?: string) {
  return db.accessKey.findMany({
    where: { AND: [keyVisibilityWhere(ctx), projectId ? { projectId } : {}] },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 500,
    select: { name: true, accessKeyId: true, revokedAt: true },
  });
}
