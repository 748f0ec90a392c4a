import { z } from "zod";
import type { Actor } from "../auth/context";
import type { Db } from "../db";
import { writeEvent } from "../events/write-event";
import { displayName } from "../names";

export const organizationNameSchema = displayName(2, 64);
export const createOrganizationSchema = z.object({ name: organizationNameSchema });

/** Creates an organization with the creator as its first ADMIN. */
export async function createOrganization(db: Db, actor: Actor, input: z.input<typeof createOrganizationSchema>) {
  const { name } = createOrganizationSchema.parse(input);
  return db.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name } });
    await tx.membership.create({ data: { orgId: org.id, userId: actor.userId, role: "ADMIN" } });
    await writeEvent(tx, { type: "org.created", orgId: org.id, actor, data: { name } });
    return org;
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
