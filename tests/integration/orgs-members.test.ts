import { describe, expect, it } from "vitest";
import { getOrgContext } from "../../lib/auth/context";
import { AppError } from "../../lib/errors";
import { createOrganization } from "../../lib/orgs/create-organization";
import { acceptInvitation, inviteMember } from "../../lib/orgs/invitations";
import { changeMemberRole, removeMember } from "../../lib/orgs/members";
import { hashToken } from "../../lib/tokens";
import { createOrgWith, createUser, testDb } from "./helpers";

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof AppError ? e.status : e?.name ?? "error"));

async function insertKey(orgId: string, ownerId: string, kind: "MASTER" | "SUB" | "USER") {
  const db = testDb();
  const project = await db.project.create({ data: { orgId, name: `p-${Math.random().toString(36).slice(2, 8)}` } });
  return db.accessKey.create({
    data: {
      kind, orgId, projectId: project.id, regionId: "local", name: `${kind} key`,
      accessKeyId: `KG${Math.random().toString(36).slice(2, 20).toUpperCase()}`,
      sealedSecret: "v1.x.y", secretLast4: "abcd", permissions: [], allowedCidrs: [], ownerId, createdById: ownerId,
    },
  });
}

describe("organizations", () => {
  it("makes the creator ADMIN and records org.created", async () => {
    const actor = await createUser("Founder");
    const org = await createOrganization(testDb(), actor, { name: "Acme" });
    const ctx = await getOrgContext(testDb(), actor, org.id);
    expect(ctx.role).toBe("ADMIN");
    const events = await testDb().event.findMany({ where: { orgId: org.id } });
    expect(events.map((e) => e.type)).toEqual(["org.created"]);
    expect(events[0].actorEmail).toBe(actor.email);
  });

  it("rejects a too-short name with a field error", async () => {
    const actor = await createUser();
    await expect(createOrganization(testDb(), actor, { name: "x" })).rejects.toThrow(/at least 2/);
  });
});

describe("invitations", () => {
  it("only ADMIN invites; the token is stored hashed and works once for its address", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
    const invitee = await createUser("Invitee");
    expect(await status(inviteMember(testDb(), members.MEMBER_PLUS, { email: invitee.email, role: "MEMBER" }, 24))).toBe(403);
    expect(await status(inviteMember(testDb(), members.MEMBER, { email: invitee.email, role: "MEMBER" }, 24))).toBe(403);
    const { invitation, token } = await inviteMember(testDb(), members.ADMIN, { email: invitee.email, role: "MEMBER_PLUS" }, 24);
    expect(invitation.tokenHash).toBe(hashToken(token));
    expect(invitation.tokenHash).not.toContain(token);

    const stranger = await createUser("Stranger");
    expect(await status(acceptInvitation(testDb(), stranger, token))).toBe(403);
    await acceptInvitation(testDb(), invitee, token);
    expect((await getOrgContext(testDb(), invitee, members.ADMIN.orgId)).role).toBe("MEMBER_PLUS");
    expect(await status(acceptInvitation(testDb(), invitee, token))).toBe(410);
  });

  it("refuses expired and unknown invitations", async () => {
    const { members } = await createOrgWith(["ADMIN"]);
    const invitee = await createUser();
    const { invitation, token } = await inviteMember(testDb(), members.ADMIN, { email: invitee.email, role: "MEMBER" }, 24);
    await testDb().invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await status(acceptInvitation(testDb(), invitee, token))).toBe(410);
    expect(await status(acceptInvitation(testDb(), invitee, "not-a-token"))).toBe(404);
  });

  it("exactly one of two simultaneous accepts wins", async () => {
    const { members } = await createOrgWith(["ADMIN"]);
    const invitee = await createUser();
    const { token } = await inviteMember(testDb(), members.ADMIN, { email: invitee.email, role: "MEMBER" }, 24);
    const results = await Promise.all([status(acceptInvitation(testDb(), invitee, token)), status(acceptInvitation(testDb(), invitee, token))]);
    expect(results.sort()).toEqual([200, 410]);
  });
});

describe("member roles", () => {
  it("the last ADMIN can be neither demoted nor removed", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER"]);
    const admin = members.ADMIN;
    const own = await testDb().membership.findFirstOrThrow({ where: { orgId: admin.orgId, userId: admin.actor.userId } });
    expect(await status(changeMemberRole(testDb(), admin, { membershipId: own.id, role: "MEMBER" }))).toBe(409);
    expect(await status(removeMember(testDb(), admin, own.id))).toBe(409);
  });

  it("only ADMIN changes roles or removes members", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
    const target = await testDb().membership.findFirstOrThrow({ where: { orgId: members.ADMIN.orgId, userId: members.MEMBER.actor.userId } });
    expect(await status(changeMemberRole(testDb(), members.MEMBER_PLUS, { membershipId: target.id, role: "ADMIN" }))).toBe(403);
    expect(await status(removeMember(testDb(), members.MEMBER, target.id))).toBe(403);
    expect(await status(changeMemberRole(testDb(), members.ADMIN, { membershipId: target.id, role: "MEMBER_PLUS" }))).toBe(200);
  });

  it("demoting an ADMIN revokes their master keys in the same transaction, removal revokes all keys", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
    const second = await createUser("Second");
    const m = await testDb().membership.create({ data: { orgId: members.ADMIN.orgId, userId: second.userId, role: "ADMIN" } });
    const master = await insertKey(members.ADMIN.orgId, second.userId, "MASTER");
    const userKey = await insertKey(members.ADMIN.orgId, second.userId, "USER");
    await changeMemberRole(testDb(), members.ADMIN, { membershipId: m.id, role: "MEMBER_PLUS" });
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: master.id } })).revokedAt).not.toBeNull();
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: userKey.id } })).revokedAt).toBeNull();
    const revokedEvent = await testDb().event.findFirst({ where: { keyId: master.id, type: "key.revoked" } });
    expect(revokedEvent?.actorId).toBe(members.ADMIN.actor.userId);

    await removeMember(testDb(), members.ADMIN, m.id);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: userKey.id } })).revokedAt).not.toBeNull();
    expect(await status(getOrgContext(testDb(), second, members.ADMIN.orgId))).toBe(404);
  });
});

describe("cross-organization access", () => {
  it("an admin of org A cannot read or change members of org B by id", async () => {
    const a = await createOrgWith(["ADMIN"]);
    const b = await createOrgWith(["ADMIN", "MEMBER"]);
    expect(await status(getOrgContext(testDb(), a.members.ADMIN.actor, b.org.id))).toBe(404);
    const bMember = await testDb().membership.findFirstOrThrow({ where: { orgId: b.org.id, role: "MEMBER" } });
    expect(await status(changeMemberRole(testDb(), a.members.ADMIN, { membershipId: bMember.id, role: "ADMIN" }))).toBe(404);
    expect(await status(removeMember(testDb(), a.members.ADMIN, bMember.id))).toBe(404);
    expect((await testDb().membership.findUniqueOrThrow({ where: { id: bMember.id } })).role).toBe("MEMBER");
  });
});
