// Issue 11, item 2: links and invitations do not outlive what they were issued for.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { extractLinks } from "../../lib/email/links";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { AppError } from "../../lib/errors";
import { createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { revokeKey } from "../../lib/keys/manage-keys";
import { createRegionKey, resetRegionKey } from "../../lib/keys/region-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { acceptInvitation, inviteMember } from "../../lib/orgs/invitations";
import { changeMemberRole, removeMember } from "../../lib/orgs/members";
import { createShare } from "../../lib/shares/create-share";
import { retrieveShare } from "../../lib/shares/retrieve-share";
import { createOrgWith, createUser, testDb } from "./helpers";

const PUBLIC_URL = "https://keygate.example.com";
beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));

const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.code}` : (e?.name ?? "error")));

async function shareKey() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomBytes(3).toString("hex")}` } });
  const key = await createSubKey(testDb(), members.ADMIN, { projectId: project.id, name: "reader", regionId: "local", permissions: ["read"] });
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = { kind: "outbox", send: async (e) => (sent.push(e), { id: "1", transport: "outbox" }) };
  await createShare(testDb(), members.ADMIN, { keyId: key.id, recipientEmail: "bob@example.com" }, { transport, publicUrl: PUBLIC_URL, defaultTtlHours: 72 });
  const link = extractLinks(sent[0].html, sent[0].text).find((l) => l.startsWith(`${PUBLIC_URL}/share/`))!;
  const token = link.slice(`${PUBLIC_URL}/share/`.length);
  const reveal = () => retrieveShare(testDb(), { token, email: "bob@example.com" }, { ip: `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`, userAgent: "vitest" });
  return { members, key, reveal };
}

describe("rotate, revoke and reset cancel pending share links", () => {
  it("a link sent before a rotation does not reveal the new secret, and an event says why", async () => {
    const { members, key, reveal } = await shareKey();
    const rotated = await rotateKey(testDb(), members.ADMIN, key.id);
    const result = await reveal().catch((e: unknown) => e);
    expect(JSON.stringify(result)).not.toContain(rotated.secret);
    expect(result).toBeInstanceOf(AppError);
    const cancelled = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.share_cancelled" } });
    expect(cancelled.data).toMatchObject({ recipientEmail: "bob@example.com", reason: "key rotated" });
    expect((await testDb().shareLink.findFirstOrThrow({ where: { keyId: key.id } })).cancelledAt).not.toBeNull();
  });

  it("revoking the key cancels its pending links", async () => {
    const { members, key, reveal } = await shareKey();
    await revokeKey(testDb(), members.ADMIN, key.id);
    expect(await outcome(reveal())).not.toBe("ok");
    const cancelled = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.share_cancelled" } });
    expect(cancelled.data).toMatchObject({ reason: "key revoked" });
  });

  it("resetting a region key pair cancels the old pair's pending links", async () => {
    const { org, members } = await createOrgWith(["MEMBER_PLUS"]);
    const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomBytes(3).toString("hex")}` } });
    const member = members.MEMBER_PLUS;
    const pair = await createRegionKey(testDb(), member, project.id, "local");
    const transport: EmailTransport = { kind: "outbox", send: async () => ({ id: "1", transport: "outbox" }) };
    await createShare(testDb(), member, { keyId: pair.id, recipientEmail: "carol@example.com" }, { transport, publicUrl: PUBLIC_URL, defaultTtlHours: 72 });
    await resetRegionKey(testDb(), member, project.id, "local");
    expect((await testDb().shareLink.findFirstOrThrow({ where: { keyId: pair.id } })).cancelledAt).not.toBeNull();
    const cancelled = await testDb().event.findFirstOrThrow({ where: { keyId: pair.id, type: "key.share_cancelled" } });
    expect(cancelled.data).toMatchObject({ recipientEmail: "carol@example.com", reason: "key pair reset" });
  });
});

describe("invitations do not outlive their sender's authority", () => {
  async function invitedByAdmin() {
    const { members } = await createOrgWith(["ADMIN", "MEMBER"]);
    const second = await createUser("Second");
    await testDb().membership.create({ data: { orgId: members.ADMIN.orgId, userId: second.userId, role: "ADMIN" } });
    const secondCtx = { actor: second, orgId: members.ADMIN.orgId, role: "ADMIN" as const };
    const invitee = await createUser("Invitee");
    const { token } = await inviteMember(testDb(), secondCtx, { email: invitee.email, role: "ADMIN" }, 24);
    const membership = await testDb().membership.findFirstOrThrow({ where: { orgId: members.ADMIN.orgId, userId: second.userId } });
    return { admin: members.ADMIN, invitee, token, membershipId: membership.id };
  }

  it("removing the admin who invited withdraws the invitation (with an event)", async () => {
    const w = await invitedByAdmin();
    await removeMember(testDb(), w.admin, w.membershipId);
    expect(await outcome(acceptInvitation(testDb(), w.invitee, w.token))).toBe("404 not_found");
    expect(await testDb().membership.count({ where: { orgId: w.admin.orgId, userId: w.invitee.userId } })).toBe(0);
    const ev = await testDb().event.findFirstOrThrow({ where: { orgId: w.admin.orgId, type: "member.invitation_withdrawn" } });
    expect(ev.data).toMatchObject({ email: w.invitee.email, role: "ADMIN", reason: "sender removed" });
  });

  it("demoting the admin who invited withdraws the invitation", async () => {
    const w = await invitedByAdmin();
    await changeMemberRole(testDb(), w.admin, { membershipId: w.membershipId, role: "MEMBER_PLUS" });
    expect(await outcome(acceptInvitation(testDb(), w.invitee, w.token))).toBe("404 not_found");
    expect(await testDb().membership.count({ where: { orgId: w.admin.orgId, userId: w.invitee.userId } })).toBe(0);
  });
});
