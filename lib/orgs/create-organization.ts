import { z } from "zod";
import type { Actor } from "../auth/context";
import { assertMayCreateOrganization, type SignupSettings } from "../auth/signup-policy";
import type { Db } from "../db";
import { writeEvent } from "../events/write-event";
import { displayName } from "../names";

export const organizationNameSchema = displayName(2, 64);
export const createOrganizationSchema = z.object({ name: organizationNameSchema });

/** Any fixed 64-bit number; "kgorgs" in ASCII, so it is recognizable in pg_locks. */
const ORG_CREATION_LOCK = 0x6b676f726773n;

/**
 * Creates an organization with the creator as its first ADMIN. With `policy`, KEYGATE_SIGNUP is
 * checked inside the transaction, with creations taking turns (an advisory lock): on a fresh
 * invite-only instance, the "very first organization is free" rule then grants exactly one.
 */
export async function createOrganization(db: Db, actor: Actor, input: z.input<typeof createOrganizationSchema>, policy?: SignupSettings) {
  const { name } = createOrganizationSchema.parse(input);
  return db.$transaction(async (tx) => {
    if (policy) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ORG_CREATION_LOCK})`;
      await assertMayCreateOrganization(tx, policy, actor);
    }
    const org = await tx.organization.create({ data: { name } });
    await tx.membership.create({ data: { orgId: org.id, userId: actor.userId, role: "ADMIN" } });
    await writeEvent(tx, { type: "org.created", orgId: org.id, actor, data: { name } });
    return org;
  });
}

export const createOrganizationWithAdminSchema = z.object({
  name: organizationNameSchema,
  adminEmail: z.email("Enter a valid email address.").trim().toLowerCase(),
  adminName: z.string().trim().max(100).optional(),
});

/**
 * For operators (CLI): the organization with its first ADMIN, a user found or created by email,
 * who signs in with that address as usual. No browser and no invitation needed.
 */
export async function createOrganizationWithAdmin(db: Db, actor: Actor, input: z.input<typeof createOrganizationWithAdminSchema>) {
  const { name, adminEmail, adminName } = createOrganizationWithAdminSchema.parse(input);
  return db.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name } });
    const admin = await tx.user.upsert({ where: { email: adminEmail }, create: { email: adminEmail, name: adminName || null }, update: {} });
    await tx.membership.create({ data: { orgId: org.id, userId: admin.id, role: "ADMIN" } });
    await writeEvent(tx, { type: "org.created", orgId: org.id, actor, data: { name } });
    await writeEvent(tx, { type: "member.added", orgId: org.id, actor, data: { userId: admin.id, email: admin.email, role: "ADMIN" } });
    return { org, admin: { id: admin.id, email: admin.email, name: admin.name } };
  });
}

export async function listUserOrganizations(db: Db, userId: string) {
  const memberships = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { id: true, name: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return memberships.map((m) => ({ id: m.org.id, name: m.org.name, role: m.role }));
}
