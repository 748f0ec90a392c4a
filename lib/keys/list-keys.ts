import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { badRequest } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { outsidePolicy, rotationDue } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getProjectOrThrow } from "../projects/projects";
import { activeKeyWhere, keyStatus } from "./status";
import { keyVisibilityWhere } from "./visibility";

export const PAGE_SIZE = 25;

type Cursor = { createdAt: Date; id: string };
export const encodeCursor = (c: Cursor) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");
export function decodeCursor(s: string): Cursor {
  const [iso, id] = Buffer.from(s, "base64url").toString().split("|");
  const createdAt = new Date(iso);
  if (!id || Number.isNaN(createdAt.getTime())) throw badRequest("Invalid page cursor.");
  return { createdAt, id };
}

/**
 * Keys of one kind in a project, newest first, keyset-paginated on (createdAt, id) so deep
 * pages cost the same as the first one and stay stable while keys are added.
 */
export async function listProjectKeys(db: Db, ctx: OrgContext, args: { projectId: string; kind: "MASTER" | "SUB"; after?: string; limit?: number; q?: string }) {
  const visible = keyVisibilityWhere(ctx);
  await getProjectOrThrow(db, ctx, args.projectId);
  const limit = Math.min(Math.max(args.limit ?? PAGE_SIZE, 1), 100);
  const where: Prisma.AccessKeyWhereInput = { AND: [visible, { projectId: args.projectId, kind: args.kind }] };
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
      prefix: true, allowedCidrs: true, createdAt: true, expiresAt: true, revokedAt: true, disabledAt: true, rotatedAt: true, lastUsedAt: true, _count: { select: { buckets: true } },
    },
  });
  const page = rows.slice(0, limit);
  const now = new Date();
  const policy = await getKeyPolicy(db, ctx.orgId);
  return {
    keys: page.map((k) => {
      const status = keyStatus(k, now);
      const live = status === "Active" || status === "Disabled";
      return {
        ...k, bucketCount: k._count.buckets, status,
        // Flags for keys that still work; a dead key needs no attention.
        outsidePolicy: live ? outsidePolicy(policy, k) : [],
        rotationDue: live && rotationDue(policy, k, now),
      };
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
