// Who the CLI acts as. Events snapshot the actor, so every change made here reads
// "keygate CLI …" in the console's history, with the OS user and host in the user agent.
import os from "node:os";
import type { Actor, OrgContext } from "../lib/auth/context";
import type { Db } from "../lib/db";
import type { Role } from "../lib/generated/prisma/enums";
import { CliError } from "./command";

export const CLI_ACTOR_NAME = "keygate CLI";
/** Not a User row: events and invitations only snapshot this id (no foreign key). */
export const CLI_ACTOR_ID = "keygate-cli";

function userAgent(): string {
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return `keygate-cli (${user}@${os.hostname()})`;
}

/** The operator acting on the instance, not on behalf of anyone. */
export function systemActor(): Actor {
  return { userId: CLI_ACTOR_ID, name: CLI_ACTOR_NAME, email: "keygate-cli@localhost", ip: null, userAgent: userAgent() };
}

/** Operator rights in one organization: ADMIN, as the system actor. */
export function operatorContext(orgId: string): OrgContext {
  return { actor: systemActor(), orgId, role: "ADMIN" };
}

/**
 * Acting on behalf of a member, for what needs a real user (a key's owner and creator): the
 * member named by `ownerEmail`, else the organization's first ADMIN. The member's own role
 * applies, so a key never carries more rights than its owner.
 */
export async function onBehalfOfMember(db: Db, orgId: string, ownerEmail?: string): Promise<{ ctx: OrgContext; email: string; role: Role }> {
  const membership = await db.membership.findFirst({
    where: ownerEmail ? { orgId, user: { email: { equals: ownerEmail.trim(), mode: "insensitive" } } } : { orgId, role: "ADMIN" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { role: true, user: { select: { id: true, email: true } } },
  });
  if (!membership) {
    if (ownerEmail) throw new CliError(`${ownerEmail} is not a member of this organization.`);
    const pending = await db.invitation.findFirst({
      where: { orgId, role: "ADMIN", acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { email: true },
    });
    throw new CliError(
      pending
        ? `This organization has no admin yet: the invitation to ${pending.email} must be accepted first (a key needs an owner).`
        : "This organization has no admin; a key needs an owner (pass --owner <email> of a member).",
    );
  }
  const actor: Actor = { ...systemActor(), userId: membership.user.id, email: membership.user.email };
  return { ctx: { actor, orgId, role: membership.role }, email: membership.user.email, role: membership.role };
}
