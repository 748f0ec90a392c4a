// What operators type (ids, emails, role names) resolved to rows, with one clear message each.
import type { Db } from "../lib/db";
import type { Role } from "../lib/generated/prisma/enums";
import { CliError, UsageError } from "./command";

export async function findOrgOrThrow(db: Db, orgId: string) {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
  if (!org) throw new CliError(`Organization ${orgId} not found.`);
  return org;
}

export async function findProjectOrThrow(db: Db, projectId: string) {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, orgId: true } });
  if (!project) throw new CliError(`Project ${projectId} not found.`);
  return project;
}

export async function findMembershipOrThrow(db: Db, orgId: string, email: string) {
  const m = await db.membership.findFirst({
    where: { orgId, user: { email: { equals: email.trim(), mode: "insensitive" } } },
    select: { id: true, role: true, user: { select: { id: true, email: true } } },
  });
  if (!m) throw new CliError(`${email} is not a member of this organization.`);
  return m;
}

const ROLE_WORDS: Record<string, Role> = { admin: "ADMIN", "member-plus": "MEMBER_PLUS", "member+": "MEMBER_PLUS", member_plus: "MEMBER_PLUS", member: "MEMBER" };

/** admin | member-plus | member (the enum names work too, in any case). */
export function parseRole(text: string): Role {
  const role = ROLE_WORDS[text.trim().toLowerCase()];
  if (!role) throw new UsageError(`--role must be admin, member-plus or member.`);
  return role;
}
