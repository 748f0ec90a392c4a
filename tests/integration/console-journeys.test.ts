import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { listProjectKeys } from "../../lib/keys/list-keys";
import { revokeKey, updateSubKey } from "../../lib/keys/manage-keys";
import { countLiveKeysByOwner, listMemberKeys } from "../../lib/keys/member-keys";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { acceptInvitationById, inviteMember, listInvitationsForEmail } from "../../lib/orgs/invitations";
import { changeMemberRole } from "../../lib/orgs/members";
import { createOrgWith, createUser, testDb } from "./helpers";

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof AppError ? e.status : (e?.name ?? "error")));

beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));

async function setup() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "p" } });
  return { org, members, project };
}
const sub = (projectId: string, name: string, extra: Record<string, unknown> = {}) => ({ projectId, name, regionId: "local", permissions: ["read", "list"], ...extra });

describe("key names are unique in a project", () => {
  it("refuses a second key with the same name, ignoring case and kind, even once the first is revoked", async () => {
    const { members, project } = await setup();
    const first = await createSubKey(testDb(), members.ADMIN, sub(project.id, "backup"));
    const dup = await createSubKey(testDb(), members.ADMIN, sub(project.id, "Backup")).catch((e) => e);
    expect(dup).toBeInstanceOf(AppError);
    expect(dup.status).toBe(409);
    expect(dup.fieldErrors.name).toBeDefined();
    expect(await status(createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "backup", regionId: "local" }))).toBe(409);
    await revokeKey(testDb(), members.ADMIN, first.id);
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, "backup")))).toBe(409);
    // Another project may use the name; renaming onto a taken name is refused too.
    const other = await testDb().project.create({ data: { orgId: members.ADMIN.orgId, name: "q" } });
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(other.id, "backup")))).toBe(200);
    const second = await createSubKey(testDb(), members.ADMIN, sub(project.id, "second"));
    expect(await status(updateSubKey(testDb(), members.ADMIN, { keyId: second.id, name: "BACKUP", permissions: ["read", "list"] }))).toBe(409);
    expect(await status(updateSubKey(testDb(), members.ADMIN, { keyId: second.id, name: "renamed", permissions: ["read", "list"] }))).toBe(200);
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, "second")))).toBe(200);
  });

  it("two creations with one name at the same moment: exactly one succeeds", async () => {
    const { members, project } = await setup();
    const results = await Promise.all([1, 2, 3].map(() => status(createSubKey(testDb(), members.ADMIN, sub(project.id, "race")))));
    expect(results.sort()).toEqual([200, 409, 409]);
  });
});

describe("key owner and member keys", () => {
  it("an admin creates a sub key owned by a Member+, who then sees it; owners must hold key rights", async () => {
    const { members, project } = await setup();
    const plus = members.MEMBER_PLUS;
    const issued = await createSubKey(testDb(), members.ADMIN, sub(project.id, "for-plus", { ownerId: plus.actor.userId }));
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.ownerId).toBe(plus.actor.userId);
    expect(row.createdById).toBe(members.ADMIN.actor.userId);
    expect((await listProjectKeys(testDb(), plus, { projectId: project.id, kind: "SUB" })).keys.map((k) => k.name)).toEqual(["for-plus"]);
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, "for-member", { ownerId: members.MEMBER.actor.userId })))).toBe(400);
    expect(await status(createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "m", regionId: "local", ownerId: plus.actor.userId }))).toBe(400);
    expect(await status(createSubKey(testDb(), plus, sub(project.id, "for-admin", { ownerId: members.ADMIN.actor.userId })))).toBe(403);
    const stranger = await createUser("Stranger");
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, "for-stranger", { ownerId: stranger.userId })))).toBe(400);

    const theirs = await listMemberKeys(testDb(), members.ADMIN, plus.actor.userId);
    expect(theirs.map((k) => [k.name, k.project.name, k.status])).toEqual([["for-plus", "p", "Active"]]);
    expect(await status(listMemberKeys(testDb(), plus, plus.actor.userId))).toBe(403);
    expect((await countLiveKeysByOwner(testDb(), members.ADMIN))[plus.actor.userId]).toEqual({ MASTER: 0, SUB: 1, USER: 0 });

    // Demotion to Member revokes the key; promotion back does not bring it back.
    const membership = await testDb().membership.findFirstOrThrow({ where: { orgId: members.ADMIN.orgId, userId: plus.actor.userId } });
    await changeMemberRole(testDb(), members.ADMIN, { membershipId: membership.id, role: "MEMBER" });
    await changeMemberRole(testDb(), members.ADMIN, { membershipId: membership.id, role: "MEMBER_PLUS" });
    expect((await listMemberKeys(testDb(), members.ADMIN, plus.actor.userId)).map((k) => k.status)).toEqual(["Revoked"]);
    expect((await countLiveKeysByOwner(testDb(), members.ADMIN))[plus.actor.userId]).toBeUndefined();
  });

  it("filters key lists by status", async () => {
    const { members, project } = await setup();
    const a = await createSubKey(testDb(), members.ADMIN, sub(project.id, "live"));
    const b = await createSubKey(testDb(), members.ADMIN, sub(project.id, "dead"));
    await createSubKey(testDb(), members.ADMIN, sub(project.id, "old"));
    await revokeKey(testDb(), members.ADMIN, b.id);
    await testDb().accessKey.updateMany({ where: { projectId: project.id, name: "old" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const names = async (status: "active" | "expired" | "revoked" | "all") =>
      (await listProjectKeys(testDb(), members.ADMIN, { projectId: project.id, kind: "SUB", status })).keys.map((k) => k.name).sort();
    expect(await names("active")).toEqual(["live"]);
    expect(await names("expired")).toEqual(["old"]);
    expect(await names("revoked")).toEqual(["dead"]);
    expect(await names("all")).toEqual(["dead", "live", "old"]);
    expect(a.name).toBe("live");
  });
});

describe("invitations for the signed-in person", () => {
  it("lists pending invitations by email and accepts one by id only for that address", async () => {
    const { org, members } = await setup();
    const invitee = await createUser("Invitee");
    const { invitation } = await inviteMember(testDb(), members.ADMIN, { email: invitee.email, role: "MEMBER_PLUS" }, 24);
    const pending = await listInvitationsForEmail(testDb(), invitee.email.toUpperCase());
    expect(pending.map((i) => [i.org.id, i.role])).toEqual([[org.id, "MEMBER_PLUS"]]);
    const stranger = await createUser("Stranger");
    expect(await status(acceptInvitationById(testDb(), stranger, invitation.id))).toBe(404);
    expect(await acceptInvitationById(testDb(), invitee, invitation.id)).toEqual({ orgId: org.id });
    expect(await status(acceptInvitationById(testDb(), invitee, invitation.id))).toBe(404);
    expect(await listInvitationsForEmail(testDb(), invitee.email)).toEqual([]);
  });
});
