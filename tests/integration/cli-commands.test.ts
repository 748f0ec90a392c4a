// The operator CLI against the shared test database: help and exit codes, org create (with the
// admin's invitation), the lists, key create/revoke and events purge.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { setKeyring, unsealKeySecret } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { readOutbox } from "../../lib/email/outbox";
import { acceptInvitation } from "../../lib/orgs/invitations";
import { parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";
import { createOrgWith, testDb } from "./helpers";

// Each CLI run is a fresh Node process (about a second, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

const COMMANDS = [
  "org create", "org list", "project list", "key list", "key create", "key revoke",
  "sealing status", "sealing rotate", "sealing prune", "events purge", "doctor",
];

let env: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  env = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});

const cli = (...args: string[]) => runCli(args, env);

async function seedProject() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomUUID().slice(0, 6)}` } });
  const bucket = await testDb().bucket.create({ data: { projectId: project.id, regionId: "local", name: `logs-${randomBytes(4).toString("hex")}` } });
  return { org, admin: members.ADMIN, plus: members.MEMBER_PLUS, project, bucket };
}

describe("keygate: help and usage", () => {
  it("answers --help on every command, and `help <command>`, with exit 0", async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli(...c.split(" "), "--help")));
    results.forEach((r, i) => {
      expect(r.code, COMMANDS[i]).toBe(0);
      expect(r.stdout).toContain(`Usage: keygate ${COMMANDS[i]}`);
      expect(r.stdout).toContain("-h, --help");
    });
    const top = await cli("--help");
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toContain(c);
    expect((await cli("help", "sealing", "rotate")).stdout).toContain("resumable");
    expect((await cli("key", "--help")).stdout).toContain("keygate key revoke");
  });

  it("exits 2 on usage errors, with the reason and a pointer to --help", async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: keygate <command>");
    const unknown = await cli("frobnicate");
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('Unknown command "frobnicate"')]);
    const flag = await cli("org", "list", "--colour");
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining("--colour")]);
    expect(flag.stderr).toContain("keygate org list --help");
    const missing = await cli("key", "create", "--name", "x", "--kind", "master");
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("--project is required")]);
    expect((await cli("key", "revoke")).code).toBe(2);
    expect((await cli("sealing", "rotate", "--batch-size", "0")).code).toBe(2);
    expect((await cli("key")).code).toBe(2);
  });
});

describe("keygate org create --invite", () => {
  it("creates the organization, invites its first ADMIN by email and prints the accept URL (no Resend)", async () => {
    const name = `Acme ${randomUUID().slice(0, 6)}`;
    const email = `Admin-${randomUUID().slice(0, 6)}@Example.test`;
    const r = await cli("org", "create", "--name", name, "--admin-email", email, "--invite");
    expect(r.code, r.stderr).toBe(0);
    const acceptUrl = /Accept URL: (\S+)/.exec(r.stdout)?.[1];
    expect(acceptUrl).toMatch(/^http:\/\/localhost:3000\/invite\/[\w-]+$/);

    const org = await testDb().organization.findFirstOrThrow({ where: { name }, include: { memberships: true, invitations: true } });
    expect(org.memberships).toEqual([]);
    expect(org.invitations.map((i) => [i.email, i.role])).toEqual([[email.toLowerCase(), "ADMIN"]]);
    const mail = (await readOutbox(env.KEYGATE_DATA_DIR)).find((m) => m.to === email.toLowerCase() && m.tag === "invitation");
    expect(mail?.links).toContain(acceptUrl);
    expect(mail?.text).toContain(name);
    const events = await testDb().event.findMany({ where: { orgId: org.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.type, e.actorName])).toEqual([["org.created", "keygate CLI"], ["member.invited", "keygate CLI"]]);

    // The invitation is the way in: accepting it makes that person the organization's ADMIN.
    const user = await testDb().user.create({ data: { email: email.toLowerCase(), name: "Admin" } });
    await acceptInvitation(testDb(), { userId: user.id, name: "Admin", email: user.email }, acceptUrl!.split("/").pop()!);
    expect((await testDb().membership.findFirstOrThrow({ where: { orgId: org.id } })).role).toBe("ADMIN");
  });

  it("--json prints one document; bad input exits 2 and creates nothing", async () => {
    const name = `Json ${randomUUID().slice(0, 6)}`;
    const r = await cli("org", "create", "--name", name, "--admin-email", "ops@example.test", "--invite", "--json");
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<{ organization: { id: string; name: string }; email: { transport: string }; acceptUrl: string }>(r);
    expect(out.organization.name).toBe(name);
    expect(out.email.transport).toBe("outbox");
    expect(out.acceptUrl).toContain("/invite/");
    const bad = await cli("org", "create", "--name", "Bad email org", "--admin-email", "not-an-email", "--invite");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("valid email")]);
    expect(await testDb().organization.count({ where: { name: "Bad email org" } })).toBe(0);
  });

  it("when the email cannot be sent (bad Resend key), keeps the invitation, prints its URL and exits 1", async () => {
    const name = `Unsent ${randomUUID().slice(0, 6)}`;
    const r = await runCli(["org", "create", "--name", name, "--admin-email", "unsent@example.test", "--invite"], { ...env, RESEND_API_KEY: "re_invalid_test_key" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the invitation email could not be sent");
    expect(r.stderr).not.toContain("re_invalid_test_key");
    expect(r.stdout).toMatch(/Accept URL: http:\/\/localhost:3000\/invite\/[\w-]+/);
    expect(await testDb().invitation.count({ where: { org: { name }, role: "ADMIN" } })).toBe(1);
  });
});

describe("keygate org/project/key list", () => {
  it("lists organizations, their projects and a project's keys (never secrets)", async () => {
    const { org, project } = await seedProject();
    const created = parseJson<{ accessKeyId: string; secret: string }>(await cli("key", "create", "--project", project.id, "--name", "lister", "--kind", "master", "--json"));
    const [orgList, projects, keys, subKeys, unknown] = await Promise.all([
      cli("org", "list", "--json"),
      cli("project", "list", "--org", org.id),
      cli("key", "list", "--project", project.id),
      cli("key", "list", "--project", project.id, "--kind", "sub", "--json"),
      cli("project", "list", "--org", "no-such-org"),
    ]);
    const orgs = parseJson<{ id: string; members: number; projects: number }[]>(orgList);
    expect(orgs.find((o) => o.id === org.id)).toMatchObject({ members: 2, projects: 1 });
    expect(projects.stdout).toContain(project.id);
    expect(keys.code).toBe(0);
    expect(keys.stdout).toMatch(new RegExp(`${created.accessKeyId}\\s+master\\s+active`));
    expect(keys.stdout).not.toContain(created.secret);
    expect(parseJson(subKeys)).toEqual([]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining("Organization no-such-org not found")]);
  });
});

describe("keygate key create", () => {
  it("creates a master key owned by the first admin and prints the secret once", async () => {
    const { admin, project } = await seedProject();
    const r = await cli("key", "create", "--project", project.id, "--name", "ci", "--kind", "master");
    expect(r.code, r.stderr).toBe(0);
    const accessKeyId = /Access key id:\s+(\S+)/.exec(r.stdout)![1];
    const secret = /Secret access key:\s+(\S+)/.exec(r.stdout)![1];
    expect(r.stderr).toContain("shown only this once");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { accessKeyId } });
    expect([row.kind, row.ownerId, row.createdById]).toEqual(["MASTER", admin.actor.userId, admin.actor.userId]);
    expect(unsealKeySecret(row)).toBe(secret);
    expect(row.sealedSecret).not.toContain(secret);
    const event = await testDb().event.findFirstOrThrow({ where: { keyId: row.id } });
    expect([event.type, event.actorName, event.actorId]).toEqual(["key.created", "keygate CLI", admin.actor.userId]);
    expect(event.userAgent).toMatch(/^keygate-cli \(/);
  });

  it("creates a sub key with permissions, buckets by name and a preset expiry (--json)", async () => {
    const { project, bucket } = await seedProject();
    const r = await cli("key", "create", "--project", project.id, "--name", "reader", "--kind", "sub",
      "--permissions", "read,list", "--buckets", bucket.name, "--prefix", "logs/", "--expiry", "7d", "--json");
    expect(r.code, r.stderr).toBe(0);
    const out = parseJson<{ id: string; secret: string; kind: string; expiresAt: string }>(r);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: out.id }, include: { buckets: true } });
    expect([row.kind, row.permissions, row.allBuckets, row.prefix]).toEqual(["SUB", ["read", "list"], false, "logs/"]);
    expect(row.buckets.map((b) => b.bucketId)).toEqual([bucket.id]);
    expect(Math.round((row.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    expect(unsealKeySecret(row)).toBe(out.secret);
  });

  it("--owner picks the member; a sub key never exceeds the owner's role", async () => {
    const { project, plus } = await seedProject();
    const asPlus = await cli("key", "create", "--project", project.id, "--name", "mine", "--kind", "sub", "--permissions", "read", "--owner", plus.actor.email, "--json");
    expect(asPlus.code, asPlus.stderr).toBe(0);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: parseJson<{ id: string }>(asPlus).id } })).ownerId).toBe(plus.actor.userId);
    const master = await cli("key", "create", "--project", project.id, "--name", "m", "--kind", "master", "--owner", plus.actor.email);
    expect([master.code, master.stderr]).toEqual([1, expect.stringContaining("permission")]);
    const stranger = await cli("key", "create", "--project", project.id, "--name", "m", "--kind", "master", "--owner", "nobody@example.test");
    expect([stranger.code, stranger.stderr]).toEqual([1, expect.stringContaining("not a member")]);
  });

  it("explains what is wrong: no admin yet, unknown project, bad input", async () => {
    const invitedOnly = parseJson<{ organization: { id: string } }>(await cli("org", "create", "--name", "No admin yet", "--admin-email", "later@example.test", "--invite", "--json"));
    const project = await testDb().project.create({ data: { orgId: invitedOnly.organization.id, name: "p" } });
    const noAdmin = await cli("key", "create", "--project", project.id, "--name", "x", "--kind", "master");
    expect([noAdmin.code, noAdmin.stderr]).toEqual([1, expect.stringContaining("invitation to later@example.test must be accepted first")]);
    const unknown = await cli("key", "create", "--project", "nope", "--name", "x", "--kind", "master");
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining("Project nope not found")]);
    const { project: p } = await seedProject();
    const cases: [string[], string][] = [
      [["--kind", "sub", "--permissions", "fly"], 'Unknown permission "fly"'],
      [["--kind", "sub", "--permissions", "list,write_retention"], "write_retention needs its basic permission write"],
      [["--kind", "sub", "--permissions", "read,bypass_governance"], "bypass_governance needs its basic permission delete"],
      [["--kind", "master", "--permissions", "read"], "sub keys only"],
      [["--kind", "sub", "--permissions", "read", "--expiry", "2001-01-01"], "must be in the future"],
      [["--kind", "super"], "--kind must be master or sub"],
    ];
    const results = await Promise.all(cases.map(([args]) => cli("key", "create", "--project", p.id, "--name", "x", ...args)));
    results.forEach((r, i) => expect([r.code, r.stderr], cases[i][0].join(" ")).toEqual([2, expect.stringContaining(cases[i][1])]));
    expect(await testDb().accessKey.count({ where: { projectId: { in: [p.id, project.id] } } })).toBe(0);
  });
});

describe("keygate key revoke", () => {
  it("revokes by access key id or id, records the CLI as actor, and is idempotent", async () => {
    const { project } = await seedProject();
    const key = parseJson<{ id: string; accessKeyId: string }>(await cli("key", "create", "--project", project.id, "--name", "gone", "--kind", "master", "--json"));
    const r = await cli("key", "revoke", key.accessKeyId);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining(`Revoked key ${key.accessKeyId}`)]);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.revokedAt).not.toBeNull();
    const event = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.revoked" } });
    expect([event.actorName, event.actorId]).toEqual(["keygate CLI", "keygate-cli"]);
    const again = parseJson<{ alreadyRevoked: boolean; revokedAt: string }>(await cli("key", "revoke", key.id, "--json"));
    expect(again).toMatchObject({ alreadyRevoked: true, revokedAt: row.revokedAt!.toISOString() });
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.revoked" } })).toBe(1);
    const missing = await cli("key", "revoke", "KGNOSUCHKEY");
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining("Key KGNOSUCHKEY not found")]);
  });
});

describe("keygate events purge", () => {
  it("deletes events older than the retention period and keeps the rest", async () => {
    const { org } = await seedProject();
    const old = new Date(Date.now() - 400 * 86_400_000);
    await testDb().event.createMany({ data: [1, 2, 3].map(() => ({ type: "key.request", orgId: org.id, at: old })) });
    await testDb().event.create({ data: { type: "key.request", orgId: org.id } });
    const dry = parseJson<{ wouldDelete: number }>(await cli("events", "purge", "--retention-days", "365", "--dry-run", "--json"));
    expect(dry.wouldDelete).toBeGreaterThanOrEqual(3);
    expect(await testDb().event.count({ where: { orgId: org.id, type: "key.request" } })).toBe(4);
    const r = await cli("events", "purge", "--retention-days", "365", "--batch-size", "2");
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/Deleted \d+ event\(s\) older than .* \(365 days\)/)]);
    expect(await testDb().event.count({ where: { orgId: org.id, type: "key.request" } })).toBe(1);
    expect((await cli("events", "purge", "--retention-days", "0")).code).toBe(2);
  });
});

describe("keygate with a broken configuration", () => {
  it("names the bad variable and exits 1", async () => {
    const r = await runCli(["org", "list"], { ...env, KEYGATE_REGIONS: "not json" });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("KEYGATE_REGIONS")]);
    const db = await runCli(["org", "list"], { ...env, DATABASE_URL: "postgresql://postgres:x@127.0.0.1:9/none" });
    expect([db.code, db.stderr]).toEqual([1, expect.stringContaining("Cannot use the database, DATABASE_URL (127.0.0.1:9/none)")]);
    expect(db.stderr).not.toContain("postgres:x@");
  });
});
