// The CLI commands that bootstrap and run an organization without a browser: org create (direct
// admin) and delete, project, bucket, member and API token commands, through the lib functions
// the console uses (same rules, same events).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { hashToken } from "../../lib/tokens";
import { createFsBackend } from "../../lib/storage/fs-backend";
import { parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";
import { testDb } from "./helpers";

vi.setConfig({ testTimeout: 180_000 });

const NEW_COMMANDS = [
  "org delete", "project create", "project rename", "project delete", "bucket create", "bucket list", "bucket delete",
  "member add", "member role", "member remove", "token create", "token list", "token revoke",
];

let env: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  env = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});

const cli = (...args: string[]) => runCli(args, env);
const hex = () => randomBytes(4).toString("hex");
const storage = () => createFsBackend(path.join(env.KEYGATE_DATA_DIR, "objects"));
const putObject = (bucket: string, key: string) => storage().putObject(bucket, key, Readable.from([Buffer.from("hello")]), { contentType: "text/plain", userMetadata: {} } as never);

/** An organization with its admin, made by the CLI. */
async function createOrg(adminEmail = `admin-${hex()}@example.test`) {
  const r = await cli("org", "create", "--name", `Org ${hex()}`, "--admin-email", adminEmail, "--admin-name", "Ada", "--json");
  expect(r.code, r.stderr).toBe(0);
  return parseJson<{ organization: { id: string; name: string }; admin: { id: string; email: string; role: string } }>(r);
}

describe("new commands: help", () => {
  it("every new command answers --help and is listed", async () => {
    const results = await Promise.all(NEW_COMMANDS.map((c) => cli(...c.split(" "), "--help")));
    results.forEach((r, i) => expect([r.code, r.stdout], NEW_COMMANDS[i]).toEqual([0, expect.stringContaining(`Usage: keygate ${NEW_COMMANDS[i]}`)]));
    const top = await cli("--help");
    for (const c of NEW_COMMANDS) expect(top.stdout).toContain(c);
  });
});

describe("keygate org create (direct admin)", () => {
  it("creates the organization and its first ADMIN at once: a master key can be created right away", async () => {
    const email = `First-${hex()}@Example.test`;
    const { organization, admin } = await createOrg(email);
    expect(admin).toMatchObject({ email: email.toLowerCase(), role: "ADMIN" });
    const m = await testDb().membership.findFirstOrThrow({ where: { orgId: organization.id }, include: { user: true } });
    expect([m.role, m.user.email, m.user.name]).toEqual(["ADMIN", email.toLowerCase(), "Ada"]);
    expect(await testDb().invitation.count({ where: { orgId: organization.id } })).toBe(0);
    const events = await testDb().event.findMany({ where: { orgId: organization.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.type, e.actorName])).toEqual([["org.created", "keygate CLI"], ["member.added", "keygate CLI"]]);

    // The same person may administer a second organization: the user is found, not duplicated.
    const second = await createOrg(email);
    expect(second.admin.id).toBe(admin.id);
    const project = parseJson<{ id: string }>(await cli("project", "create", "--org", organization.id, "--name", "web", "--json"));
    const key = await cli("key", "create", "--project", project.id, "--name", "ci", "--kind", "master", "--owner", email, "--json");
    expect(key.code, key.stderr).toBe(0);
    expect((await testDb().accessKey.findFirstOrThrow({ where: { projectId: project.id } })).ownerId).toBe(admin.id);
    const plain = await cli("org", "create", "--name", `Plain ${hex()}`, "--admin-email", `p-${hex()}@example.test`);
    expect([plain.code, plain.stdout]).toEqual([0, expect.stringContaining("is its admin")]);
    const bad = await cli("org", "create", "--name", "x", "--admin-email", "a@example.test");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("at least 2")]);
  });
});

describe("keygate project create | rename | delete", () => {
  it("follows the console's rules and writes its events", async () => {
    const { organization } = await createOrg();
    const created = await cli("project", "create", "--org", organization.id, "--name", "analytics", "--json");
    expect(created.code, created.stderr).toBe(0);
    const project = parseJson<{ id: string; name: string; orgId: string }>(created);
    expect(project).toMatchObject({ name: "analytics", orgId: organization.id });
    const [dup, unknownOrg] = await Promise.all([
      cli("project", "create", "--org", organization.id, "--name", "analytics"),
      cli("project", "create", "--org", "no-such-org", "--name", "x1"),
    ]);
    expect([dup.code, dup.stderr]).toEqual([1, expect.stringContaining("already exists")]);
    expect([unknownOrg.code, unknownOrg.stderr]).toEqual([1, expect.stringContaining("Organization no-such-org not found")]);
    const renamed = await cli("project", "rename", project.id, "--name", "analytics-eu", "--json"); // after: renaming frees the name
    expect(parseJson<{ name: string }>(renamed).name).toBe("analytics-eu");

    const bucket = await testDb().bucket.create({ data: { projectId: project.id, regionId: "local", name: `keep-${hex()}` } });
    const [unconfirmed, withBuckets] = await Promise.all([cli("project", "delete", project.id), cli("project", "delete", project.id, "--yes")]);
    expect([unconfirmed.code, unconfirmed.stderr]).toEqual([2, expect.stringContaining("--yes")]);
    expect([withBuckets.code, withBuckets.stderr]).toEqual([1, expect.stringContaining("bucket(s) first")]);
    await testDb().bucket.delete({ where: { id: bucket.id } });
    const deleted = await cli("project", "delete", project.id, "--yes", "--json");
    expect([deleted.code, parseJson(deleted)]).toEqual([0, { id: project.id, name: "analytics-eu", deleted: true }]);
    const events = await testDb().event.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["project.created", "project.renamed", "project.deleted"]);
  });
});

describe("keygate bucket create | list | delete", () => {
  it("creates versioned and Object Lock buckets (--versioning, --object-lock)", async () => {
    const { organization } = await createOrg();
    const project = parseJson<{ id: string }>(await cli("project", "create", "--org", organization.id, "--name", "locked", "--json"));
    const [versioned, locked] = [`ver-${hex()}`, `lock-${hex()}`];
    const [v, l] = await Promise.all([
      cli("bucket", "create", "--project", project.id, "--name", versioned, "--versioning", "--json"),
      cli("bucket", "create", "--project", project.id, "--name", locked, "--object-lock"),
    ]);
    expect(v.code, v.stderr).toBe(0);
    expect(parseJson(v)).toMatchObject({ name: versioned, versioning: "Enabled", objectLock: false });
    expect([l.code, l.stdout]).toEqual([0, expect.stringContaining(`Created bucket ${locked}`)]);
    expect(l.stdout).toContain("with Object Lock and versioning");
    expect([await storage().getBucketVersioning(versioned), (await storage().getObjectLockConfiguration(versioned)).enabled]).toEqual(["Enabled", false]);
    expect([await storage().getBucketVersioning(locked), (await storage().getObjectLockConfiguration(locked)).enabled]).toEqual(["Enabled", true]);
    expect((await cli("bucket", "create", "--help")).stdout).toContain("--object-lock");
  });

  it("creates in storage and in Keygate, lists, and deletes only empty buckets", async () => {
    const { organization } = await createOrg();
    const project = parseJson<{ id: string }>(await cli("project", "create", "--org", organization.id, "--name", "data", "--json"));
    const name = `cli-${hex()}`;
    const created = await cli("bucket", "create", "--project", project.id, "--name", name, "--json");
    expect(created.code, created.stderr).toBe(0);
    const bucket = parseJson<{ id: string; name: string; regionId: string }>(created);
    expect(bucket).toMatchObject({ name, regionId: "local" });
    expect(await storage().bucketExists(name)).toBe(true);
    const [list, table, taken, badName, badRegion] = await Promise.all([
      cli("bucket", "list", "--project", project.id, "--json"),
      cli("bucket", "list", "--project", project.id),
      cli("bucket", "create", "--project", project.id, "--name", name),
      cli("bucket", "create", "--project", project.id, "--name", "Not_A_Bucket"),
      cli("bucket", "create", "--project", project.id, "--name", `x-${hex()}`, "--region", "mars"),
    ]);
    expect(parseJson<{ id: string }[]>(list).map((b) => b.id)).toEqual([bucket.id]);
    expect(table.stdout).toContain(name);
    expect([taken.code, taken.stderr]).toEqual([1, expect.stringContaining("already taken")]);
    expect(badName.code).toBe(2);
    expect([badRegion.code, badRegion.stderr]).toEqual([1, expect.stringContaining("Region mars is not configured")]);

    await putObject(name, "a.txt");
    const full = await cli("bucket", "delete", name);
    expect([full.code, full.stderr]).toEqual([1, expect.stringContaining("is not empty")]);
    await storage().deleteObject(name, "a.txt");
    const deleted = await cli("bucket", "delete", name, "--json");
    expect([deleted.code, parseJson(deleted)]).toEqual([0, { id: bucket.id, name, regionId: "local", deleted: true }]);
    expect(await storage().bucketExists(name)).toBe(false);
    expect((await cli("bucket", "delete", name)).stderr).toContain("not found");
    const events = await testDb().event.findMany({ where: { projectId: project.id, type: { startsWith: "bucket." } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["bucket.created", "bucket.deleted"]);
  });
});

describe("keygate member add | role | remove", () => {
  it("adds people directly, changes roles and removes them with the console's rules", async () => {
    const { organization, admin } = await createOrg();
    const bob = `bob-${hex()}@example.test`;
    const added = await cli("member", "add", "--org", organization.id, "--email", bob, "--role", "member-plus", "--json");
    expect(added.code, added.stderr).toBe(0);
    expect(parseJson(added)).toMatchObject({ email: bob, role: "MEMBER_PLUS" });
    const [again, badRole, notMember] = await Promise.all([
      cli("member", "add", "--org", organization.id, "--email", bob, "--role", "member"),
      cli("member", "role", "--org", organization.id, "--email", bob, "--role", "owner"),
      cli("member", "role", "--org", organization.id, "--email", "nobody@example.test", "--role", "member"),
    ]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining("already a member")]);
    expect([badRole.code, badRole.stderr]).toEqual([2, expect.stringContaining("--role must be")]);
    expect([notMember.code, notMember.stderr]).toEqual([1, expect.stringContaining("not a member")]);

    const project = parseJson<{ id: string }>(await cli("project", "create", "--org", organization.id, "--name", "p1", "--json"));
    const sub = parseJson<{ id: string }>(await cli("key", "create", "--project", project.id, "--name", "bobs", "--kind", "sub", "--permissions", "read", "--owner", bob, "--json"));
    const demoted = await cli("member", "role", "--org", organization.id, "--email", bob, "--role", "member", "--json");
    expect(parseJson(demoted)).toMatchObject({ from: "MEMBER_PLUS", role: "MEMBER" });
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: sub.id } })).revokedAt).not.toBeNull();
    const lastAdmin = await cli("member", "remove", "--org", organization.id, "--email", admin.email);
    expect([lastAdmin.code, lastAdmin.stderr]).toEqual([1, expect.stringContaining("last admin")]);
    const removed = await cli("member", "remove", "--org", organization.id, "--email", bob, "--json");
    expect(parseJson(removed)).toMatchObject({ email: bob, removed: true });
    const events = await testDb().event.findMany({ where: { orgId: organization.id, type: { startsWith: "member." } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["member.added", "member.added", "member.role_changed", "member.removed"]);
  });
});

describe("keygate token create | list | revoke", () => {
  it("prints the token once, stores its hash, lists without it and revokes it", async () => {
    const { organization, admin } = await createOrg();
    const created = await cli("token", "create", "--org", organization.id, "--name", "terraform", "--expiry", "90d", "--json");
    expect(created.code, created.stderr).toBe(0);
    const t = parseJson<{ id: string; token: string; createdBy: string; expiresAt: string }>(created);
    expect(t.token).toMatch(/^kgt_[0-9A-Za-z]{38}$/);
    expect(t.createdBy).toBe(admin.email);
    const row = await testDb().orgApiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect([row.tokenHash, row.createdById]).toEqual([hashToken(t.token), admin.id]);
    const bob = `bob-${hex()}@example.test`;
    await cli("member", "add", "--org", organization.id, "--email", bob, "--role", "member-plus");
    const list = await cli("token", "list", "--org", organization.id, "--json"); // before "human" below is created
    const [notAdmin, badExpiry, plain] = await Promise.all([
      cli("token", "create", "--org", organization.id, "--name", "x", "--created-by", bob),
      cli("token", "create", "--org", organization.id, "--name", "x", "--expiry", "2001-01-01"),
      cli("token", "create", "--org", organization.id, "--name", "human"),
    ]);
    expect(list.stdout).not.toContain(t.token);
    expect(parseJson<{ id: string; status: string }[]>(list)).toEqual([expect.objectContaining({ id: t.id, status: "Active", createdBy: admin.email })]);
    expect([notAdmin.code, notAdmin.stderr]).toEqual([1, expect.stringContaining("is not an admin")]);
    expect([badExpiry.code, badExpiry.stderr]).toEqual([2, expect.stringContaining("in the future")]);
    expect([plain.code, plain.stdout, plain.stderr]).toEqual([0, expect.stringMatching(/Token:\s+kgt_/), expect.stringContaining("shown only this once")]);
    const revoked = await cli("token", "revoke", t.id, "--json");
    expect(parseJson<{ revokedAt: string }>(revoked).revokedAt).toBeTruthy();
    expect((await cli("token", "list", "--org", organization.id)).stdout).toMatch(/revoked\s.*terraform/);
    expect((await cli("token", "revoke", "nope")).stderr).toContain("API token nope not found");
  });
});

describe("keygate org delete", () => {
  it("needs --yes, refuses while buckets hold objects unless --purge, then deletes everything but the events", async () => {
    const { organization } = await createOrg();
    const project = parseJson<{ id: string }>(await cli("project", "create", "--org", organization.id, "--name", "doomed", "--json"));
    const [a, b] = [`del-a-${hex()}`, `del-b-${hex()}`];
    for (const name of [a, b]) expect((await cli("bucket", "create", "--project", project.id, "--name", name)).code).toBe(0);
    const key = parseJson<{ id: string }>(await cli("key", "create", "--project", project.id, "--name", "k", "--kind", "master", "--json"));
    await cli("token", "create", "--org", organization.id, "--name", "t");
    await putObject(a, "x/1.txt");
    await putObject(a, "2.txt");

    const unconfirmed = await cli("org", "delete", organization.id);
    expect([unconfirmed.code, unconfirmed.stderr]).toEqual([2, expect.stringContaining("--yes")]);
    const refused = await cli("org", "delete", organization.id, "--yes");
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining(`1 bucket(s) still hold objects (${a})`)]);
    expect(await testDb().organization.count({ where: { id: organization.id } })).toBe(1);
    expect(await storage().bucketExists(b)).toBe(true);

    const purged = await cli("org", "delete", organization.id, "--yes", "--purge", "--json");
    expect(purged.code, purged.stderr).toBe(0);
    expect(parseJson(purged)).toMatchObject({ id: organization.id, projects: 1, buckets: 2, keys: 1, members: 1, objectsDeleted: 2 });
    expect(await testDb().organization.count({ where: { id: organization.id } })).toBe(0);
    expect(await testDb().accessKey.count({ where: { id: key.id } })).toBe(0);
    expect(await testDb().orgApiToken.count({ where: { orgId: organization.id } })).toBe(0);
    expect(await storage().bucketExists(a)).toBe(false);
    expect(existsSync(path.join(env.KEYGATE_DATA_DIR, "objects", b))).toBe(false);
    const last = await testDb().event.findFirstOrThrow({ where: { orgId: organization.id }, orderBy: { id: "desc" } });
    expect([last.type, last.actorName]).toEqual(["org.deleted", "keygate CLI"]);
    expect((await cli("org", "delete", organization.id, "--yes")).stderr).toContain("not found");
  });
});
