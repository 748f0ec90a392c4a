import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { AppError } from "../../lib/errors";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { getKeyDetail } from "../../lib/keys/get-key";
import { setKeyring, unsealKeySecret } from "../../lib/keys/keyring";
import { listProjectKeys } from "../../lib/keys/list-keys";
import { revokeKey, updateSubKey } from "../../lib/keys/manage-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { createRegionKey, listMyRegionKeys, resetRegionKey } from "../../lib/keys/region-keys";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createOrgWith, testDb } from "./helpers";

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof AppError ? e.status : (e?.name ?? "error")));

beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));

async function setup() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "p" } });
  const buckets = await Promise.all(["alpha", "beta"].map((n) =>
    testDb().bucket.create({ data: { projectId: project.id, regionId: "local", name: `${n}-${randomBytes(4).toString("hex")}` } })));
  return { org, members, project, buckets };
}

const sub = (projectId: string, extra: Record<string, unknown> = {}) => ({ projectId, name: "reader", regionId: "local", permissions: ["read", "list"], ...extra });

describe("master keys", () => {
  it("only ADMIN creates them; the secret is sealed, never stored in plain text", async () => {
    const { members, project } = await setup();
    expect(await status(createMasterKey(testDb(), members.MEMBER_PLUS, { projectId: project.id, name: "m", regionId: "local" }))).toBe(403);
    expect(await status(createMasterKey(testDb(), members.MEMBER, { projectId: project.id, name: "m", regionId: "local" }))).toBe(403);
    const issued = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "ci", regionId: "local" });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.sealedSecret).not.toContain(issued.secret);
    expect(row.secretLast4).toBe(issued.secret.slice(-4));
    expect(unsealKeySecret(row)).toBe(issued.secret);
    const events = await testDb().event.findMany({ where: { keyId: issued.id } });
    expect(events.map((e) => e.type)).toEqual(["key.created"]);
    expect(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(issued.secret);
    expect(row.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000); // 30 days by default
  });

  it("refuses a custom expiry in the past with a field error", async () => {
    const { members, project } = await setup();
    const err = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "x", regionId: "local", expiry: "custom", expiresAt: "2001-01-01" }).catch((e) => e);
    expect(err.issues?.[0]?.path).toEqual(["expiresAt"]);
  });

  it("rotate keeps the access key id and makes the old secret unusable; revoke is final", async () => {
    const { members, project } = await setup();
    const first = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "ci", regionId: "local" });
    const second = await rotateKey(testDb(), members.ADMIN, first.id);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(second.secret).not.toBe(first.secret);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: first.id } });
    expect(unsealKeySecret(row)).toBe(second.secret);
    await revokeKey(testDb(), members.ADMIN, first.id);
    expect(await status(rotateKey(testDb(), members.ADMIN, first.id))).toBe(409);
    const types = (await testDb().event.findMany({ where: { keyId: first.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["key.created", "key.rotated", "key.revoked"]);
  });
});

describe("sub keys", () => {
  it("validate granular permissions server-side and never exceed the creator", async () => {
    const { members, project } = await setup();
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, { permissions: ["read_versions"] })))).toBe(400);
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, { permissions: ["bucket_admin"] })))).toBe(400);
    expect(await status(createSubKey(testDb(), members.MEMBER, sub(project.id)))).toBe(403);
    expect(await status(createSubKey(testDb(), members.MEMBER_PLUS, sub(project.id)))).toBe(200);
  });

  it("accept only buckets of the project and record what an edit changed", async () => {
    const { members, project, buckets } = await setup();
    const other = await setup();
    expect(await status(createSubKey(testDb(), members.ADMIN, sub(project.id, { bucketScope: "selected", bucketIds: [other.buckets[0].id] })))).toBe(400);
    const k = await createSubKey(testDb(), members.ADMIN, sub(project.id, { bucketScope: "selected", bucketIds: [buckets[0].id] }));
    await updateSubKey(testDb(), members.ADMIN, { keyId: k.id, name: "reader", permissions: ["read", "list", "write"], bucketScope: "selected", bucketIds: [buckets[0].id], prefix: "logs/" });
    const updated = await testDb().event.findFirstOrThrow({ where: { keyId: k.id, type: "key.updated" } });
    expect(Object.keys((updated.data as { changes: object }).changes).sort()).toEqual(["permissions", "prefix"]);
  });
});

describe("role rules", () => {
  it("MEMBER_PLUS sees only the keys they created plus their own region keys; ADMIN sees all", async () => {
    const { members, project } = await setup();
    const adminSub = await createSubKey(testDb(), members.ADMIN, sub(project.id, { name: "admin-sub" }));
    const plusSub = await createSubKey(testDb(), members.MEMBER_PLUS, sub(project.id, { name: "plus-sub" }));
    const names = async (ctx: OrgContext) => (await listProjectKeys(testDb(), ctx, { projectId: project.id, kind: "SUB" })).keys.map((k) => k.name).sort();
    expect(await names(members.ADMIN)).toEqual(["admin-sub", "plus-sub"]);
    expect(await names(members.MEMBER_PLUS)).toEqual(["plus-sub"]);
    expect(await status(listProjectKeys(testDb(), members.MEMBER, { projectId: project.id, kind: "SUB" }))).toBe(403);
    expect(await status(getKeyDetail(testDb(), members.MEMBER_PLUS, adminSub.id))).toBe(404);
    expect(await status(revokeKey(testDb(), members.MEMBER_PLUS, adminSub.id))).toBe(404);
    expect(await status(revokeKey(testDb(), members.MEMBER_PLUS, plusSub.id))).toBe(200);
    expect(await status(revokeKey(testDb(), members.ADMIN, plusSub.id))).toBe(200); // idempotent
  });

  it("keys of another organization are invisible by id", async () => {
    const a = await setup();
    const b = await setup();
    const key = await createMasterKey(testDb(), b.members.ADMIN, { projectId: b.project.id, name: "b", regionId: "local" });
    expect(await status(getKeyDetail(testDb(), a.members.ADMIN, key.id))).toBe(404);
    expect(await status(rotateKey(testDb(), a.members.ADMIN, key.id))).toBe(404);
    expect(await status(createMasterKey(testDb(), a.members.ADMIN, { projectId: b.project.id, name: "x", regionId: "local" }))).toBe(404);
  });
});

describe("region key pairs", () => {
  it("are created once per region, reset replaces the pair at once, and cannot be revoked", async () => {
    const { members, project } = await setup();
    const me = members.MEMBER_PLUS;
    const local = async () => (await listMyRegionKeys(testDb(), me, project.id)).find((r) => r.region.id === "local")!;
    expect((await local()).key).toBeNull();
    const first = await createRegionKey(testDb(), me, project.id, "local");
    expect(await status(createRegionKey(testDb(), me, project.id, "local"))).toBe(409);
    const second = await resetRegionKey(testDb(), me, project.id, "local");
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: first.id } })).revokedAt).not.toBeNull();
    expect((await local()).key?.id).toBe(second.id);
    expect(await status(revokeKey(testDb(), me, second.id))).toBe(409);
    expect(await status(createRegionKey(testDb(), members.MEMBER, project.id, "local"))).toBe(403);
  });
});
