import type { Role } from "../generated/prisma/enums";
import type { Tx } from "../db";
import { forbidden, notFound } from "../errors";
import { can, type Permission } from "./permissions";

/** Who is acting, snapshotted into events so history outlives the user. */
export type Actor = { userId: string; name: string | null; email: string; ip?: string | null; userAgent?: string | null };
export type OrgContext = { actor: Actor; orgId: string; role: Role };

/**
 * Loads the caller's membership of an organization. Not a member → 404, so ids of other
 * organizations reveal nothing (not even that they exist).
 */
export async function getOrgContext(db: Tx, actor: Actor, orgId: string): Promise<OrgContext> {
  const membership = await db.membership.findUnique({
    where: { orgId_userId: { orgId, userId: actor.userId } },
    select: { role: true },
  });
  if (!membership) throw notFound("Organization not found");
  return { actor, orgId, role: membership.role };
}

export function requirePermission(ctx: OrgContext, permission: Permission): void {
  if (!can(ctx.role, permission)) throw forbidden();
}
