import { z } from "zod";
import { type Actor, type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { consumeOrgEmail } from "../email/limits";
import { writeEvent } from "../events/write-event";
import { generateToken, hashToken } from "../tokens";

export const roleSchema = z.enum(["ADMIN", "MEMBER_PLUS", "MEMBER"], { error: "Choose a role." });
export const inviteMemberSchema = z.object({
  email: z.email("Enter a valid email address.").trim().toLowerCase(),
  role: roleSchema,
});

/**
 * Creates an invitation; returns the one-time token for the email (only its hash is stored).
 * Inviting an address again replaces its pending invitation, so old links stop working.
 */
export async function inviteMember(db: Db, ctx: OrgContext, input: z.input<typeof inviteMemberSchema>, ttlHours: number) {
  requirePermission(ctx, "members.manage");
  const { email, role } = inviteMemberSchema.parse(input);
  const existing = await db.membership.findFirst({ where: { orgId: ctx.orgId, user: { email } } });
  if (existing) throw conflict("This person is already a member.", { email: ["Already a member of this organization."] });
  await consumeOrgEmail(db, ctx.orgId, "invitation"); // every invitation is an email to an address of the inviter's choosing
  const { token, tokenHash } = generateToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  const invitation = await db.$transaction(async (tx) => {
    await tx.invitation.updateMany({
      where: { orgId: ctx.orgId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const inv = await tx.invitation.create({
      data: { orgId: ctx.orgId, email, role, tokenHash, invitedById: ctx.actor.userId, expiresAt },
    });
    await writeEvent(tx, { type: "member.invited", orgId: ctx.orgId, actor: ctx.actor, data: { email, role } });
    return inv;
  });
  return { invitation, token };
}

export async function listPendingInvitations(db: Db, ctx: OrgContext) {
  requirePermission(ctx, "members.manage");
  return db.invitation.findMany({
    where: { orgId: ctx.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
  });
}

export async function revokeInvitation(db: Db, ctx: OrgContext, invitationId: string) {
  requirePermission(ctx, "members.manage");
  const res = await db.invitation.updateMany({
    where: { id: invitationId, orgId: ctx.orgId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (res.count === 0) throw notFound("Invitation not found");
}

/**
 * Withdraws the pending invitations a person sent, when they stop being an admin (removed or
 * demoted): an invitation carries its sender's authority, so it must not outlive it.
 * Runs in the transaction of the membership change.
 */
export async function withdrawInvitationsSentBy(tx: Tx, args: { orgId: string; userId: string; actor: Actor; reason: string }): Promise<number> {
  const pending = await tx.invitation.findMany({
    where: { orgId: args.orgId, invitedById: args.userId, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true },
  });
  if (pending.length === 0) return 0;
  await tx.invitation.updateMany({ where: { id: { in: pending.map((i) => i.id) }, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  for (const inv of pending) {
    await writeEvent(tx, { type: "member.invitation_withdrawn", orgId: args.orgId, actor: args.actor, data: { invitationId: inv.id, email: inv.email, role: inv.role, reason: args.reason } });
  }
  return pending.length;
}

/** What the accept page shows before the invitee confirms. */
export async function getInvitationByToken(db: Db, token: string) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { org: { select: { name: true } } },
  });
  if (!inv || inv.revokedAt) throw notFound("This invitation link is not valid.");
  if (inv.acceptedAt) throw new AppError(410, "used", "This invitation has already been used.");
  if (inv.expiresAt <= new Date()) throw new AppError(410, "expired", "This invitation has expired. Ask an admin to invite you again.");
  return inv;
}

/**
 * Also covers invitations older than withdrawInvitationsSentBy: a person who sent one must still
 * be an admin. Operator (CLI) invitations have a sender id that is no user; they stand.
 */
async function senderStillAdmin(db: Db, inv: { orgId: string; invitedById: string | null }): Promise<boolean> {
  if (!inv.invitedById) return true;
  const [user, membership] = await Promise.all([
    db.user.findUnique({ where: { id: inv.invitedById }, select: { id: true } }),
    db.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId: inv.invitedById } }, select: { role: true } }),
  ]);
  return !user || membership?.role === "ADMIN";
}

/** Pending invitations addressed to this email, for the signed-in person's landing page. */
export async function listInvitationsForEmail(db: Db, email: string) {
  return db.invitation.findMany({
    where: { email: email.trim().toLowerCase(), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, expiresAt: true, org: { select: { id: true, name: true } } },
  });
}

/** Accepts an invitation exactly once, for the address it was sent to. */
export async function acceptInvitation(db: Db, actor: Actor, token: string) {
  return claimInvitation(db, actor, await getInvitationByToken(db, token));
}

/**
 * Accepts a pending invitation listed on the landing page. No token is needed: the invitation
 * must be addressed to the signed-in person's (verified) email, which is what the token proves.
 */
export async function acceptInvitationById(db: Db, actor: Actor, invitationId: string) {
  const inv = await db.invitation.findFirst({
    where: { id: invitationId, email: actor.email.toLowerCase(), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
  });
  if (!inv) throw notFound("This invitation is no longer valid.");
  return claimInvitation(db, actor, inv);
}

type PendingInvitation = { id: string; orgId: string; email: string; invitedById: string | null; role: z.infer<typeof roleSchema> };

async function claimInvitation(db: Db, actor: Actor, inv: PendingInvitation) {
  if (inv.email.toLowerCase() !== actor.email.toLowerCase()) {
    throw forbidden(`This invitation was sent to ${inv.email}. Sign in with that address to accept it.`);
  }
  if (!(await senderStillAdmin(db, inv))) throw new AppError(410, "withdrawn", "This invitation was withdrawn. Ask an admin to invite you again.");
  return db.$transaction(async (tx) => {
    // The conditional update is the single-use guarantee under concurrent clicks.
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new AppError(410, "used", "This invitation has already been used.");
    await tx.membership.upsert({
      where: { orgId_userId: { orgId: inv.orgId, userId: actor.userId } },
      create: { orgId: inv.orgId, userId: actor.userId, role: inv.role },
      update: {},
    });
    await writeEvent(tx, { type: "member.joined", orgId: inv.orgId, actor, data: { role: inv.role } });
    return { orgId: inv.orgId };
  });
}
