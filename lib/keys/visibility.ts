import { type OrgContext, requirePermission } from "../auth/context";
import { can } from "../auth/permissions";
import type { Prisma } from "../generated/prisma/client";

/**
 * The rows of AccessKey the caller may see, as a query filter, so a forgotten check cannot
 * leak keys (documenso's pattern): ADMIN sees every key of the organization; MEMBER_PLUS only
 * the sub keys they created or own (an admin may create one for them) and their own region key
 * pairs; MEMBER nothing (403).
 */
export function keyVisibilityWhere(ctx: OrgContext): Prisma.AccessKeyWhereInput {
  requirePermission(ctx, "keys.use");
  if (can(ctx.role, "keys.manage_all")) return { orgId: ctx.orgId };
  const me = ctx.actor.userId;
  return { orgId: ctx.orgId, OR: [{ createdById: me, kind: "SUB" }, { ownerId: me, kind: { in: ["SUB", "USER"] } }] };
}
