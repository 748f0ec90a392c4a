// Fixtures for the event and job tests: keys and events inserted directly, so these tests do
// not depend on key creation rules (tested in keys.test.ts) and can set any time or owner.
import { randomBytes } from "node:crypto";
import type { OrgContext } from "../../lib/auth/context";
import type { Prisma } from "../../lib/generated/prisma/client";
import type { KeyKind } from "../../lib/generated/prisma/enums";
import { createOrgWith, testDb } from "./helpers";

export const DAY = 86_400_000;

export async function createProject(orgId: string, name = "p") {
  return testDb().project.create({ data: { orgId, name: `${name}-${randomBytes(3).toString("hex")}` } });
}

type KeyInput = {
  orgId: string; projectId: string; ownerId: string; createdById?: string; kind?: KeyKind; name?: string;
  expiresAt?: Date | null; createdAt?: Date; revokedAt?: Date | null;
};

export async function insertKey(k: KeyInput) {
  return testDb().accessKey.create({
    data: {
      kind: k.kind ?? "SUB", orgId: k.orgId, projectId: k.projectId, regionId: "local", name: k.name ?? `key-${randomBytes(3).toString("hex")}`,
      accessKeyId: `KGTEST${randomBytes(8).toString("hex").toUpperCase()}`, sealedSecret: "v1.x.y", secretLast4: "abcd",
      ownerId: k.ownerId, createdById: k.createdById ?? k.ownerId, expiresAt: k.expiresAt ?? null, revokedAt: k.revokedAt ?? null,
      ...(k.createdAt ? { createdAt: k.createdAt } : {}),
    },
  });
}

type Key = Awaited<ReturnType<typeof insertKey>>;

/** `n` S3 request events of a key, `at` spread one second apart ending at `end`. */
export function requestEvents(key: Key, n: number, extra: Partial<Prisma.EventCreateManyInput> = {}, end = new Date()): Prisma.EventCreateManyInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "key.request", at: new Date(end.getTime() - (n - i) * 1000), orgId: key.orgId, projectId: key.projectId, keyId: key.id,
    accessKeyId: key.accessKeyId, outcome: "allowed", operation: "GetObject", bucket: "photos", objectKey: `img/${i}.jpg`, status: 200,
    bytesIn: 0n, bytesOut: 1234n, durationMs: 3, ip: "10.0.0.7", userAgent: "aws-cli/2", requestId: `req-${i}`, ...extra,
  }));
}

export async function insertEvents(rows: Prisma.EventCreateManyInput[]) {
  await testDb().event.createMany({ data: rows });
}

/** An organization with ADMIN, MEMBER_PLUS and MEMBER, two projects and one key per kind of owner. */
export async function eventWorld() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const [p1, p2] = [await createProject(org.id, "one"), await createProject(org.id, "two")];
  const admin = members.ADMIN as OrgContext;
  const plus = members.MEMBER_PLUS as OrgContext;
  const adminKey = await insertKey({ orgId: org.id, projectId: p1.id, ownerId: admin.actor.userId, kind: "MASTER", name: "admin-master" });
  const plusSub = await insertKey({ orgId: org.id, projectId: p1.id, ownerId: plus.actor.userId, name: "plus-sub" });
  const plusPair = await insertKey({ orgId: org.id, projectId: p2.id, ownerId: plus.actor.userId, kind: "USER", name: "plus-pair" });
  const adminSub = await insertKey({ orgId: org.id, projectId: p2.id, ownerId: admin.actor.userId, name: "admin-sub" });
  return { org, members, p1, p2, admin, plus, member: members.MEMBER as OrgContext, adminKey, plusSub, plusPair, adminSub };
}
