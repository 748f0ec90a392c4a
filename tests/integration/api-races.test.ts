// Concurrent management API calls on one key or one project: each race ends in a consistent
// state and a clear answer (200, 404 or 409, never a 500 nor a half-applied change).
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as revokeRoute from "../../app/api/v1/keys/[keyId]/revoke/route";
import * as rotateRoute from "../../app/api/v1/keys/[keyId]/rotate/route";
import * as projectRoute from "../../app/api/v1/projects/[projectId]/route";
import * as bucketsRoute from "../../app/api/v1/projects/[projectId]/buckets/route";
import { createSubKey } from "../../lib/keys/create-keys";
import { updateSubKeyInTx } from "../../lib/keys/manage-keys";
import { createRegionKey, resetRegionKey } from "../../lib/keys/region-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { NO_PREVIOUS_SECRET } from "../../lib/keys/status";
import { unsealKeySecret } from "../../lib/keys/keyring";
import { createOrgToken } from "../../lib/org-tokens/org-tokens";
import { removeMember } from "../../lib/orgs/members";
import { deleteProject } from "../../lib/projects/projects";
import { DEFAULT_KEY_POLICY, updateKeyPolicy } from "../../lib/policies/key-policy";
import { apiSetup, call, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

vi.setConfig({ testTimeout: 60_000 });
beforeAll(useTestKeyring);

const suffix = () => randomBytes(4).toString("hex");

async function subKeySetup(names = ["x"]) {
  const setup = await apiSetup();
  const keys = [];
  for (const name of names) {
    keys.push(await createSubKey(testDb(), setup.admin, { projectId: setup.project.id, regionId: "local", name, permissions: ["read", "list"], expiry: "30d" }));
  }
  return { ...setup, keys };
}

const keyEvents = (keyId: string, types: string[]) =>
  testDb().event.findMany({ where: { keyId, type: { in: types } }, orderBy: { id: "asc" } });

describe("concurrent mutations of one key take turns", () => {
  it("6 rotations at once are 6 consecutive rotations: the last secret works, the one before it is the previous, the events chain", async () => {
    const { master, keys: [key] } = await subKeySetup();
    const rotate = () => call(rotateRoute.POST, "POST", "/x", { creds: master, params: { keyId: key.id }, body: { overlap: "1h" } });
    const results = await Promise.all(Array.from({ length: 6 }, rotate));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const secrets = results.map((r) => r.body.secret as string);
    expect(new Set(secrets).size).toBe(6);

    const rotated = await keyEvents(key.id, ["key.rotated"]);
    const data = rotated.map((e) => e.data as { last4: string; previousLast4: string });
    expect(data).toHaveLength(6);
    // Each rotation replaced the secret the one before it issued, starting from the original.
    expect(data.map((d) => d.previousLast4)).toEqual([key.secret.slice(-4), ...data.slice(0, 5).map((d) => d.last4)]);
    // Each rotation after the first destroyed the oldest secret: the one the rotation before it kept.
    const ended = await keyEvents(key.id, ["key.overlap_ended"]);
    expect(ended.map((e) => e.data)).toEqual(data.slice(0, 5).map((d) => ({ last4: d.previousLast4, reason: "rotated_again" })));

    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    const last = secrets.find((s) => s.slice(-4) === data[5].last4)!;
    expect(unsealKeySecret(row)).toBe(last);
    expect(row.previousSecretLast4).toBe(data[4].last4);
    expect(row.previousSecretLast4).not.toBe(key.secret.slice(-4));
  });

  it("rotate and revoke at once: the key ends revoked with no previous secret, and a rotation never follows the revocation", async () => {
    const { master, keys } = await subKeySetup(Array.from({ length: 8 }, (_, i) => `k${i}`));
    for (const key of keys) {
      const params = { keyId: key.id };
      const [rotated, revoked] = await Promise.all([
        call(rotateRoute.POST, "POST", "/x", { creds: master, params, body: { overlap: "7d" } }),
        call(revokeRoute.POST, "POST", "/x", { creds: master, params }),
      ]);
      expect(revoked.status).toBe(200);
      const events = (await keyEvents(key.id, ["key.rotated", "key.revoked"])).map((e) => e.type);
      if (rotated.status === 200) {
        expect(events).toEqual(["key.rotated", "key.revoked"]);
      } else {
        expect(rotated.status).toBe(409);
        expect(rotated.body.error.code).toBe("key_not_active");
        expect(events).toEqual(["key.revoked"]);
      }
      const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(row.revokedAt).not.toBeNull();
      expect(row).toMatchObject(NO_PREVIOUS_SECRET);
    }
  });
});

describe("renaming keys to one name at once", () => {
  it("renaming 3 keys to one name at once: one 200, two 409 name taken, no 500", async () => {
    const { master, keys } = await subKeySetup(["a", "b", "c"]);
    const results = await Promise.all(keys.map((k) =>
      call(keyRoute.PATCH, "PATCH", "/x", { creds: master, params: { keyId: k.id }, body: { name: "same-name" } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.message).toContain("already exists in this project");
    const names = (await testDb().accessKey.findMany({ where: { id: { in: keys.map((k) => k.id) } } })).map((k) => k.name).sort();
    expect(names.filter((n) => n === "same-name")).toHaveLength(1);
  });

  it("a rename that passed the name check while another key took the name meanwhile is a 409, not a 500", async () => {
    const { master, admin, keys: [a, b] } = await subKeySetup(["a", "b"]);
    let renameB: ReturnType<typeof call> | undefined;
    await testDb().$transaction(async (tx) => {
      await updateSubKeyInTx(tx, admin, { keyId: a.id, name: "same-name", permissions: ["read", "list"] });
      // B's check cannot see A's uncommitted name; its write then waits on the unique index until A commits.
      renameB = call(keyRoute.PATCH, "PATCH", "/x", { creds: master, params: { keyId: b.id }, body: { name: "same-name" } });
      await new Promise((r) => setTimeout(r, 500));
    });
    const res = await renameB!;
    expect(res.status, res.text).toBe(409);
    expect(res.body.error.message).toContain("already exists in this project");
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: b.id } })).name).toBe("b");
  });
});

describe("PATCH /api/v1/keys/{id} is all or nothing", () => {
  it("a refused expiry leaves the name and permissions as they were, with no key.updated event", async () => {
    const { master, admin, keys: [key] } = await subKeySetup(["x"]);
    await updateKeyPolicy(testDb(), admin, { ...DEFAULT_KEY_POLICY, maxDaysSub: 10 });
    const res = await call(keyRoute.PATCH, "PATCH", "/x", {
      creds: master, params: { keyId: key.id }, body: { name: "x-renamed", permissions: ["read", "list", "write"], expiry: "1y" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("policy_violation");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ name: "x", permissions: ["read", "list"] });
    expect(await keyEvents(key.id, ["key.updated"])).toEqual([]);
  });
});

describe("deleting a project while something is created in it", () => {
  it("a bucket: ends in a 409 for the delete or a 404 for the bucket, never a 500, and never a bucket without its project", async () => {
    const { admin, org } = await apiSetup();
    const { token } = await createOrgToken(testDb(), admin, { name: "automation", expiry: "30d" });
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 8; i++) {
      const project = await testDb().project.create({ data: { orgId: org.id, name: `race-${suffix()}` } });
      const params = { projectId: project.id };
      const [created, deleted] = await Promise.all([
        call(bucketsRoute.POST, "POST", "/x", { ...auth, params, body: { name: `race-${suffix()}` } }),
        call(projectRoute.DELETE, "DELETE", "/x", { ...auth, params }),
      ]);
      const exists = (await testDb().project.count({ where: { id: project.id } })) === 1;
      if (created.status === 201) {
        expect(deleted.status, deleted.text).toBe(409);
        expect(exists).toBe(true);
      } else {
        expect(created.status, created.text).toBe(404);
        expect(deleted.status, deleted.text).toBe(200);
        expect(exists).toBe(false);
      }
    }
  });

  it("a key created while its project is deleted is a 404, or goes with the project (listed in project.deleted), never a 500", async () => {
    const { admin, org } = await apiSetup();
    for (let i = 0; i < 8; i++) {
      const project = await testDb().project.create({ data: { orgId: org.id, name: `race-${suffix()}` } });
      const [created, deleted] = await Promise.allSettled([
        createSubKey(testDb(), admin, { projectId: project.id, regionId: "local", name: "k", permissions: ["read"], expiry: "30d" }),
        deleteProject(testDb(), admin, project.id),
      ]);
      expect(deleted.status, String((deleted as PromiseRejectedResult).reason)).toBe("fulfilled");
      const event = await testDb().event.findFirstOrThrow({ where: { projectId: project.id, type: "project.deleted" } });
      if (created.status === "fulfilled") {
        expect((event.data as { keys: number }).keys).toBe(1);
      } else {
        expect(created.reason).toMatchObject({ status: 404 });
        expect((event.data as { keys: number }).keys).toBe(0);
      }
      expect(await testDb().accessKey.count({ where: { projectId: project.id } })).toBe(0);
    }
  });
});

describe("every revocation destroys the previous secret of a rotation", () => {

  it("removing a member revokes their rotated keys without a previous secret", async () => {
    const { admin, members, project } = await apiSetup();
    const member = members.MEMBER_PLUS;
    const sub = await createSubKey(testDb(), member, { projectId: project.id, regionId: "local", name: "m", permissions: ["read"], expiry: "30d" });
    await rotateKey(testDb(), member, sub.id, { overlapMs: 7 * 86_400_000 });
    const membership = await testDb().membership.findFirstOrThrow({ where: { orgId: admin.orgId, userId: member.actor.userId } });
    await removeMember(testDb(), admin, membership.id);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: sub.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row).toMatchObject(NO_PREVIOUS_SECRET);
  });

  it("resetting a region key pair revokes the old pair without a previous secret", async () => {
    const { members, project } = await apiSetup();
    const member = members.MEMBER_PLUS;
    const pair = await createRegionKey(testDb(), member, project.id, "local");
    await rotateKey(testDb(), member, pair.id, { overlapMs: 86_400_000 });
    await resetRegionKey(testDb(), member, project.id, "local");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: pair.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row).toMatchObject(NO_PREVIOUS_SECRET);
  });
});
