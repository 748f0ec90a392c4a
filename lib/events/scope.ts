import { type OrgContext, requirePermission } from "../auth/context";
import { can } from "../auth/permissions";
import type { Tx } from "../db";
import { getManagedKeyOrThrow } from "../keys/manage-keys";
import { keyVisibilityWhere } from "../keys/visibility";
import { getProjectOrThrow } from "../projects/projects";
import type { EventScope } from "./query";

/**
 * The organization's (or one project's) events the caller may read. ADMIN: all of them,
 * management events included. MEMBER_PLUS: only events of the keys they manage (the same rule
 * as the key pages, lib/keys/visibility.ts). MEMBER: 403. Not a member: 404 (getOrgContext).
 */
export async function resolveOrgEventScope(db: Tx, ctx: OrgContext, input: { projectId?: string } = {}): Promise<EventScope> {
  requirePermission(ctx, "org.read");
  if (input.projectId) await getProjectOrThrow(db, ctx, input.projectId);
  if (can(ctx.role, "events.read_all")) return { kind: "org", orgId: ctx.orgId, projectId: input.projectId };
  const visible = keyVisibilityWhere(ctx); // 403 for roles without keys.use
  const keys = await db.accessKey.findMany({
    where: { AND: [visible, input.projectId ? { projectId: input.projectId } : {}] },
    select: { id: true },
  });
  return { kind: "org", orgId: ctx.orgId, projectId: input.projectId, keyIds: keys.map((k) => k.id) };
}

/** One key's events, for whoever may manage the key (404 otherwise, 403 for MEMBER). */
export async function resolveKeyEventScope(db: Tx, ctx: OrgContext, keyId: string) {
  const key = await getManagedKeyOrThrow(db, ctx, keyId);
  const scope: EventScope = { kind: "key", orgId: ctx.orgId, keyId: key.id };
  return { scope, key: { id: key.id, name: key.name, projectId: key.projectId, accessKeyId: key.accessKeyId } };
}

/** Every event of the instance: for operators only (check isOperator first). */
export const INSTANCE_EVENT_SCOPE: EventScope = { kind: "instance" };
