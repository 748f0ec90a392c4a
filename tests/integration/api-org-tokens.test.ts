// Organization API tokens: created by an ADMIN (hashed, expiring, revocable), accepted by the
// organization routes of /api/v1 (Bearer) for projects, buckets, members' roles and master keys.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as membersRoute from "../../app/api/v1/members/route";
import * as memberRoute from "../../app/api/v1/members/[memberId]/route";
import * as projectsRoute from "../../app/api/v1/projects/route";
import * as projectRoute from "../../app/api/v1/projects/[projectId]/route";
import * as bucketsRoute from "../../app/api/v1/projects/[projectId]/buckets/route";
import * as bucketRoute from "../../app/api/v1/projects/[projectId]/buckets/[bucketId]/route";
import * as masterKeysRoute from "../../app/api/v1/projects/[projectId]/master-keys/route";
import * as revokeMasterRoute from "../../app/api/v1/projects/[projectId]/master-keys/[keyId]/revoke/route";
import * as subKeysRoute from "../../app/api/v1/keys/route";
import { unsealKeySecret } from "../../lib/keys/keyring";
import { createSubKey } from "../../lib/keys/create-keys";
import { createOrgToken, listOrgTokens, revokeOrgToken } from "../../lib/org-tokens/org-tokens";
import { changeMemberRole } from "../../lib/orgs/members";
import { getRegionStorage } from "../../lib/storage/regions";
import { apiSetup, call, useTestKeyring } from "./api-fixtures";
import { createOrgWith, testDb } from "./helpers";

vi.setConfig({ testTimeout: 60_000 });
beforeAll(useTestKeyring);

const bearer = (token: string) => `Bearer ${token}`;
const suffix = () => randomBytes(4).toString("hex");

async function tokenSetup() {
  const setup = await apiSetup();
  const created = await createOrgToken(testDb(), setup.admin, { name: "automation", expiry: "30d" });
  return { ...setup, token: created.token, tokenId: created.id };
}

describe("organization API tokens (lib)", () => {
  it("an ADMIN creates one: shown once, stored as a hash, expiring, listed without the token; an event each for create and revoke", async () => {
    const { admin, org } = await apiSetup();
    const created = await createOrgToken(testDb(), admin, { name: "ci", expiry: "90d" });
    expect(created.token).toMatch(/^kgt_[0-9A-Za-z]{38}$/);
    const row = await testDb().orgApiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.round((row.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(90);
    const [listed] = await listOrgTokens(testDb(), admin);
    expect(listed).toMatchObject({ id: created.id, name: "ci", status: "Active", tokenLast4: created.token.slice(-4), createdByEmail: admin.actor.email });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await revokeOrgToken(testDb(), admin, created.id);
    await revokeOrgToken(testDb(), admin, created.id); // idempotent
    expect((await listOrgTokens(testDb(), admin))[0].status).toBe("Revoked");
    const events = await testDb().event.findMany({ where: { orgId: org.id, type: { startsWith: "api_token." } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["api_token.created", "api_token.revoked"]);
    expect(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(created.token);
  });

  it("only ADMINs create, list and revoke tokens", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
    const t = await createOrgToken(testDb(), members.ADMIN, { name: "x" });
    for (const ctx of [members.MEMBER_PLUS, members.MEMBER]) {
      await expect(createOrgToken(testDb(), ctx, { name: "y" })).rejects.toMatchObject({ status: 403 });
      await expect(listOrgTokens(testDb(), ctx)).rejects.toMatchObject({ status: 403 });
      await expect(revokeOrgToken(testDb(), ctx, t.id)).rejects.toMatchObject({ status: 403 });
    }
  });
});

describe("the organization API with a token", () => {
  it("creates buckets with versioning or Object Lock (in the region's storage), and refuses other values", async () => {
    const { token, project } = await tokenSetup();
    const auth = { authorization: bearer(token) };
    const post = (body: unknown) => call(bucketsRoute.POST, "POST", "/x", { ...auth, params: { projectId: project.id }, body });
    const [versioned, locked] = [`ver-${suffix()}`, `lock-${suffix()}`];
    const v = await post({ name: versioned, versioning: true });
    expect([v.status, v.body.versioning, v.body.objectLock], v.text).toEqual([201, "Enabled", false]);
    const l = await post({ name: locked, objectLock: true });
    expect([l.status, l.body.versioning, l.body.objectLock], l.text).toEqual([201, "Enabled", true]);
    const storage = getRegionStorage("local");
    expect([await storage.getBucketVersioning(versioned), (await storage.getObjectLockConfiguration(versioned)).enabled]).toEqual(["Enabled", false]);
    expect((await storage.getObjectLockConfiguration(locked)).enabled).toBe(true);
    const bad = await post({ name: `bad-${suffix()}`, objectLock: "yes" });
    expect([bad.status, Object.keys(bad.body.error.fields)]).toEqual([400, ["objectLock"]]);
  });

  it("manages projects, buckets and master keys; every change is the lib's event, every call an api_token.request", async () => {
    const { token, tokenId, org, admin } = await tokenSetup();
    const auth = { authorization: bearer(token) };
    const created = await call(projectsRoute.POST, "POST", "/api/v1/projects", { ...auth, body: { name: "second" } });
    expect(created.status, created.text).toBe(201);
    const projectId = created.body.id as string;
    expect((await call(projectsRoute.POST, "POST", "/api/v1/projects", { ...auth, body: { name: "second" } })).status).toBe(409);
    const renamed = await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${projectId}`, { ...auth, params: { projectId }, body: { name: "second-eu" } });
    expect([renamed.status, renamed.body.name]).toEqual([200, "second-eu"]);
    const list = await call(projectsRoute.GET, "GET", "/api/v1/projects", auth);
    expect(list.body.projects.map((p: { name: string }) => p.name)).toContain("second-eu");

    const bucketName = `tok-${suffix()}`;
    const bucket = await call(bucketsRoute.POST, "POST", `/api/v1/projects/${projectId}/buckets`, { ...auth, params: { projectId }, body: { name: bucketName } });
    expect([bucket.status, bucket.body.name, bucket.body.regionId]).toEqual([201, bucketName, "local"]);
    expect([bucket.body.versioning, bucket.body.objectLock]).toEqual(["Unversioned", false]);
    const buckets = await call(bucketsRoute.GET, "GET", `/api/v1/projects/${projectId}/buckets`, { ...auth, params: { projectId } });
    expect(buckets.body.buckets.map((b: { name: string }) => b.name)).toEqual([bucketName]);
    // A project with buckets cannot be deleted; the bucket goes first.
    expect((await call(projectRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}`, { ...auth, params: { projectId } })).status).toBe(409);

    const key = await call(masterKeysRoute.POST, "POST", `/api/v1/projects/${projectId}/master-keys`, { ...auth, params: { projectId }, body: { name: "deploy", expiry: "7d" } });
    expect(key.status, key.text).toBe(201);
    expect(key.body.key).toMatchObject({ kind: "MASTER", name: "deploy", projectId, status: "Active", ownerId: admin.actor.userId });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.body.key.id } });
    expect(unsealKeySecret(row)).toBe(key.body.secret);
    const keys = await call(masterKeysRoute.GET, "GET", `/api/v1/projects/${projectId}/master-keys`, { ...auth, params: { projectId } });
    expect(keys.body.keys.map((k: { id: string }) => k.id)).toEqual([row.id]);
    expect(keys.text).not.toContain(key.body.secret);
    const revoked = await call(revokeMasterRoute.POST, "POST", "/x", { ...auth, params: { projectId, keyId: row.id } });
    expect([revoked.status, revoked.body.status]).toEqual([200, "Revoked"]);

    const bucketId = bucket.body.id as string;
    expect((await call(bucketRoute.DELETE, "DELETE", "/x", { ...auth, params: { projectId, bucketId } })).body).toEqual({ id: bucketId, deleted: true });
    expect((await call(projectRoute.DELETE, "DELETE", "/x", { ...auth, params: { projectId } })).body).toEqual({ id: projectId, deleted: true });

    const events = await testDb().event.findMany({ where: { orgId: org.id, projectId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual([
      "project.created", "project.renamed", "bucket.created", "key.created", "key.revoked", "bucket.deleted", "project.deleted",
    ]);
    expect(new Set(events.map((e) => e.actorName))).toEqual(new Set([`${admin.actor.name} (API token "automation")`]));
    const uses = await testDb().event.findMany({ where: { orgId: org.id, type: "api_token.request" }, orderBy: { id: "asc" } });
    expect(uses.length).toBe(12);
    expect(uses.every((u) => (u.data as { tokenId: string }).tokenId === tokenId)).toBe(true);
    expect(uses.map((u) => u.status)).toContain(409);
    expect(uses[0]).toMatchObject({ operation: "CreateProject", status: 201, userAgent: "api-test" });
    const t = await testDb().orgApiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(t.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lists members and changes roles with the console's rules (MEMBER keeps no keys, the last ADMIN stays)", async () => {
    const { token, admin, project, members, org } = await tokenSetup();
    const auth = { authorization: bearer(token) };
    const sub = await createSubKey(testDb(), members.MEMBER_PLUS, { projectId: project.id, name: "plus", regionId: "local", permissions: ["read"] });
    const list = await call(membersRoute.GET, "GET", "/api/v1/members", auth);
    const plus = list.body.members.find((m: { userId: string }) => m.userId === members.MEMBER_PLUS.actor.userId);
    const self = list.body.members.find((m: { userId: string }) => m.userId === admin.actor.userId);
    expect([plus.role, self.role]).toEqual(["MEMBER_PLUS", "ADMIN"]);
    const demoted = await call(memberRoute.PATCH, "PATCH", "/x", { ...auth, params: { memberId: plus.id }, body: { role: "MEMBER" } });
    expect([demoted.status, demoted.body.role]).toEqual([200, "MEMBER"]);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: sub.id } })).revokedAt).not.toBeNull();
    const last = await call(memberRoute.PATCH, "PATCH", "/x", { ...auth, params: { memberId: self.id }, body: { role: "MEMBER" } });
    expect([last.status, last.body.error.message]).toEqual([409, expect.stringContaining("last admin")]);
    const bad = await call(memberRoute.PATCH, "PATCH", "/x", { ...auth, params: { memberId: plus.id }, body: { role: "OWNER" } });
    expect(bad.status).toBe(400);
    expect((await testDb().event.findFirstOrThrow({ where: { orgId: org.id, type: "member.role_changed" } })).data).toMatchObject({ from: "MEMBER_PLUS", to: "MEMBER" });
  });
});

describe("refused tokens", () => {
  async function expect401(res: Awaited<ReturnType<typeof call>>, label: string) {
    expect(res.status, label).toBe(401);
    expect(res.headers.get("www-authenticate"), label).toMatch(/^Bearer realm="keygate"/);
    expect(res.body.error.code, label).toBe("unauthorized");
  }
  const listProjects = (authorization?: string) => call(projectsRoute.GET, "GET", "/api/v1/projects", { authorization });

  it("refuses missing, malformed, unknown, expired and revoked tokens, and tokens whose creator is no longer an ADMIN", async () => {
    const { token, tokenId, admin, members, master } = await tokenSetup();
    expect((await listProjects(bearer(token))).status).toBe(200);
    await expect401(await listProjects(), "none");
    await expect401(await listProjects("Bearer nonsense"), "malformed");
    await expect401(await listProjects(bearer(`kgt_${"A".repeat(38)}`)), "bad checksum");
    const other = await createOrgToken(testDb(), admin, { name: "other" });
    await testDb().orgApiToken.delete({ where: { id: other.id } });
    await expect401(await listProjects(bearer(other.token)), "unknown");
    await expect401(await listProjects(`Basic ${Buffer.from(`${master.accessKeyId}:${master.secret}`).toString("base64")}`), "a master key");

    const expiring = await createOrgToken(testDb(), admin, { name: "expiring" });
    await testDb().orgApiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect401(await listProjects(bearer(expiring.token)), "expired");
    await revokeOrgToken(testDb(), admin, tokenId);
    await expect401(await listProjects(bearer(token)), "revoked");

    // The token carries its creator's rights, now: demoted to MEMBER, the creator's tokens stop working.
    const second = await createOrgToken(testDb(), admin, { name: "second" });
    expect((await listProjects(bearer(second.token))).status).toBe(200);
    await changeMemberRole(testDb(), members.ADMIN, { membershipId: (await testDb().membership.findFirstOrThrow({ where: { userId: members.MEMBER_PLUS.actor.userId } })).id, role: "ADMIN" });
    const membership = await testDb().membership.findFirstOrThrow({ where: { userId: admin.actor.userId, orgId: admin.orgId } });
    await changeMemberRole(testDb(), { ...members.MEMBER_PLUS, role: "ADMIN" }, { membershipId: membership.id, role: "MEMBER" });
    await expect401(await listProjects(bearer(second.token)), "creator demoted");
  });

  it("a token acts on its own organization only: other organizations' projects are not found", async () => {
    const mine = await tokenSetup();
    const theirs = await apiSetup();
    const auth = { authorization: bearer(mine.token) };
    const projectId = theirs.project.id;
    const cases = [
      await call(projectRoute.PATCH, "PATCH", "/x", { ...auth, params: { projectId }, body: { name: "taken over" } }),
      await call(projectRoute.DELETE, "DELETE", "/x", { ...auth, params: { projectId } }),
      await call(bucketsRoute.GET, "GET", "/x", { ...auth, params: { projectId } }),
      await call(bucketsRoute.POST, "POST", "/x", { ...auth, params: { projectId }, body: { name: `x-${suffix()}` } }),
      await call(masterKeysRoute.POST, "POST", "/x", { ...auth, params: { projectId }, body: { name: "steal" } }),
      await call(revokeMasterRoute.POST, "POST", "/x", { ...auth, params: { projectId, keyId: theirs.master.id } }),
      await call(bucketRoute.DELETE, "DELETE", "/x", { ...auth, params: { projectId, bucketId: theirs.buckets[0].id } }),
    ];
    expect(cases.map((c) => c.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const theirMember = await testDb().membership.findFirstOrThrow({ where: { orgId: theirs.org.id } });
    expect((await call(memberRoute.PATCH, "PATCH", "/x", { ...auth, params: { memberId: theirMember.id }, body: { role: "MEMBER" } })).status).toBe(404);
    expect((await call(projectsRoute.GET, "GET", "/x", auth)).body.projects.map((p: { id: string }) => p.id)).toEqual([mine.project.id]);
    expect(await testDb().project.findUniqueOrThrow({ where: { id: projectId } })).toMatchObject({ name: theirs.project.name });
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: theirs.master.id } })).revokedAt).toBeNull();
    // And a token is not a master key: the project-scoped routes keep taking master keys only.
    expect((await call(subKeysRoute.GET, "GET", "/api/v1/keys", auth)).status).toBe(401);
  });
});
