"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { sendInvitationEmail } from "@/lib/email/send";
import { getEnv } from "@/lib/env";
import { getMailer } from "@/lib/mailer";
import { changeMemberRole, removeMember } from "@/lib/orgs/members";
import { inviteMember, revokeInvitation } from "@/lib/orgs/invitations";
import { formToObject, runAction } from "@/lib/run-action";

const membersPath = (orgId: string) => `/orgs/${orgId}/members`;

export async function inviteMemberAction(orgId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const env = getEnv();
  const result = await runAction(async () => {
    const db = getDb();
    const { invitation, token } = await inviteMember(db, ctx, formToObject(form) as never, env.KEYGATE_INVITE_TTL_HOURS);
    const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } });
    await sendInvitationEmail(getMailer(), {
      to: invitation.email,
      orgName: org.name,
      inviterName: ctx.actor.name ?? ctx.actor.email,
      inviterEmail: ctx.actor.email,
      role: ROLE_LABELS[invitation.role],
      acceptUrl: `${env.publicUrl}/invite/${token}`,
      expiresAt: invitation.expiresAt,
    });
    return null;
  }, "Invitation sent");
  if (result.ok) revalidatePath(membersPath(orgId));
  return result;
}

export async function changeRoleAction(orgId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(async () => {
    await changeMemberRole(getDb(), ctx, formToObject(form) as never);
    return null;
  }, "Role updated");
  revalidatePath(membersPath(orgId));
  return result;
}

export async function removeMemberAction(orgId: string, membershipId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => removeMember(getDb(), ctx, membershipId), "Member removed");
  revalidatePath(membersPath(orgId));
  return result;
}

export async function revokeInvitationAction(orgId: string, invitationId: string): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => revokeInvitation(getDb(), ctx, invitationId), "Invitation revoked");
  revalidatePath(membersPath(orgId));
  return result;
}
