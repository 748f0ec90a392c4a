import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import type { Actor, OrgContext } from "../../lib/auth/context";
import { createDb, type Db } from "../../lib/db";
import type { Role } from "../../lib/generated/prisma/enums";

let db: Db | undefined;

/** The test database; refuses anything but a local server so a test can never touch real data. */
export function testDb(): Db {
  const url = inject("databaseUrl");
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`refusing non-local test database ${host}`);
  db ??= createDb(url, 5);
  return db;
}

export async function createUser(name = "User"): Promise<Actor> {
  const email = `${name.toLowerCase().replace(/\W/g, "")}-${randomUUID().slice(0, 8)}@test.local`;
  const user = await testDb().user.create({ data: { email, name } });
  return { userId: user.id, name: user.name, email: user.email, ip: "127.0.0.1", userAgent: "vitest" };
}

/** An organization with one member per requested role (the first is its creator). */
export async function createOrgWith<R extends Role>(roles: R[]) {
  const d = testDb();
  const org = await d.organization.create({ data: { name: `org-${randomUUID().slice(0, 6)}` } });
  const members = {} as Record<R, OrgContext>;
  for (const role of roles) {
    const actor = await createUser(role);
    await d.membership.create({ data: { orgId: org.id, userId: actor.userId, role } });
    members[role] = { actor, orgId: org.id, role };
  }
  return { org, members };
}
