import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { conflict, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { revokeMemberKeys } from "../keys/revoke-member-keys";
import { roleSchema, withdrawInvitationsSentBy } from "./invitations";

export const addMemberSchema = z.object({
  email: z.email("Enter a valid email address.").trim().toLowerCase(),
  role: roleSchema,
  name: z.string().trim().max(100).optional(),
});

/**
 * Adds a person directly, without an invitation (operators, CLI): the user is found or created
 * by email and signs in with that address as usual. Pending invitations of that address end.
 */
export async function addMember(db: Db, ctx: OrgContext, input: z.input<typeof addMemberSchema>) {
  requirePermission(ctx, "members.manage");
  const { email, role, name } = addMemberSchema.parse(input);
  const alreadyMember = () => conflict("This person is already a member.", { email: ["Already a member of this organization."] });
  return db.$transaction(async (tx) => {
    const user = await tx.user.upsert({ where: { email }, create: { email, name: name || null }, update: {} });
    if (await tx.membership.findUnique({ where: { orgId_userId: { orgId: ctx.orgId, userId: user.id } } })) throw alreadyMember();
    const membership = await tx.membership.create({ data: { orgId: ctx.orgId, userId: user.id, role } });
    await tx.invitation.updateMany({ where: { orgId: ctx.orgId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    await writeEvent(tx, { type: "member.added", orgId: ctx.orgId, actor: ctx.actor, data: { userId: user.id, email, role } });
    return { membership, user: { id: user.id, email: user.email, name: user.name } };
  }).catch((err) => {
    throw isUniqueViolation(err) ? alreadyMember() : err; // the same person added twice at once
  });
}

export const changeRoleSchema = z.object({ membershipId: z.string().min(1), role: roleSchema });

export async function listMembers(db: Db, ctx: OrgContext) {
  requirePermission(ctx, "org.read");
  return db.membership.findMany({
    where: { orgId: ctx.orgId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
}

/**
 * Serializes membership changes of one organization (row lock on the organization), so two
 * admins demoting each other at the same moment cannot leave it without an admin.
 */
async function lockMembership(tx: Tx, orgId: string, membershipId: string) {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
  const m = await tx.membership.findFirst({ where: { id: membershipId, orgId }, include: { user: true } });
  if (!m) throw notFound("Member not found");
  return m;
}

async function assertNotLastAdmin(tx: Tx, orgId: string, message: string) {
  const admins = await tx.membership.count({ where: { orgId, role: "ADMIN" } });
  if (admins <= 1) throw conflict(message);
}

export async function changeMemberRole(db: Db, ctx: OrgContext, input: z.input<typeof changeRoleSchema>) {
  requirePermission(ctx, "members.manage");
  const { membershipId, role } = changeRoleSchema.parse(input);
  return db.$transaction(async (tx) => {
    const m = await lockMembership(tx, ctx.orgId, membershipId);
    if (m.role === role) return m;
    if (m.role === "ADMIN") await assertNotLastAdmin(tx, ctx.orgId, "The last admin cannot be demoted. Make someone else an admin first.");
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role } });
    // Master keys belong to admins; a member without key rights keeps no keys at all.
    const kinds = role === "MEMBER" ? (["MASTER", "SUB", "USER"] as const) : m.role === "ADMIN" && role !== "ADMIN" ? (["MASTER"] as const) : [];
    if (kinds.length) await revokeMemberKeys(tx, { orgId: ctx.orgId, userId: m.userId, kinds: [...kinds], actor: ctx.actor, reason: `role changed to ${role}` });
    await notifyKeysChanged(tx, [`user:${m.userId}`]); // region keys act with the owner's role
    if (m.role === "ADMIN" && role !== "ADMIN") {
      await withdrawInvitationsSentBy(tx, { orgId: ctx.orgId, userId: m.userId, actor: ctx.actor, reason: `sender's role changed to ${role}` });
    }
    await writeEvent(tx, { type: "member.role_changed", orgId: ctx.orgId, actor: ctx.actor, data: { userId: m.userId, email: m.user.email, from: m.role, to: role } });
    return updated;
  });
}

export async function removeMember(db: Db, ctx: OrgContext, membershipId: string) {
  requirePermission(ctx, "members.manage");
  await db.$transaction(async (tx) => {
    const m = await lockMembership(tx, ctx.orgId, membershipId);
    if (m.role === "ADMIN") await assertNotLastAdmin(tx, ctx.orgId, "The last admin cannot be removed.");
    await revokeMemberKeys(tx, { orgId: ctx.orgId, userId: m.userId, kinds: ["MASTER", "SUB", "USER"], actor: ctx.actor, reason: "member removed" });
    await withdrawInvitationsSentBy(tx, { orgId: ctx.orgId, userId: m.userId, actor: ctx.actor, reason: "sender removed" });
    await tx.membership.delete({ where: { id: m.id } });
    await writeEvent(tx, { type: "member.removed", orgId: ctx.orgId, actor: ctx.actor, data: { userId: m.userId, email: m.user.email, role: m.role } });
  });
}
