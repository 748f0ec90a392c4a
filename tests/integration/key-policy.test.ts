// Organization key policies: each rule refuses what it forbids through the lib functions the
// console's actions call, through the management API and through the CLI, with field errors
// that name the policy; keys made before a rule are flagged, never changed; every change is an event.
import { beforeAll, describe, expect, inject, it } from "vitest";
import * as policyRoute from "../../app/api/v1/policy/route";
import * as sharesRoute from "../../app/api/v1/keys/[keyId]/shares/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import type { OrgContext } from "../../lib/auth/context";
import type { EmailTransport } from "../../lib/email/transport";
import { AppError } from "../../lib/errors";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { getKeyDetail } from "../../lib/keys/get-key";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { listProjectKeys } from "../../lib/keys/list-keys";
import { listMemberKeys } from "../../lib/keys/member-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { updateSubKey } from "../../lib/keys/manage-keys";
import { createRegionKey } from "../../lib/keys/region-keys";
import { updateKeyExpiry } from "../../lib/keys/update-key-expiry";
import { getKeyPolicy, updateKeyPolicy, DEFAULT_KEY_POLICY, type KeyPolicy } from "../../lib/policies/key-policy";
import { createShare } from "../../lib/shares/create-share";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { apiSetup, call } from "./api-fixtures";
import { randomKeyring, runCli, tempDir } from "./cli-harness";
import { testDb } from "./helpers";

// The CLI (a child process) and this process share one keyring.
let cliEnv: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  cliEnv = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});

/** "<status> <code> <fields>" of a refusal, "ok" otherwise. */
const refusal = (p: Promise<unknown>) =>
  p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.code} ${Object.keys(e.fieldErrors ?? {}).join(",")}` : String(e)));
const setPolicy = (ctx: OrgContext, change: Partial<KeyPolicy>) => updateKeyPolicy(testDb(), ctx, { ...DEFAULT_KEY_POLICY, ...change });
const mail = { transport: { kind: "outbox", send: async () => ({ id: "1", transport: "outbox" }) } as EmailTransport, publicUrl: "http://localhost:3000", defaultTtlHours: 72 };
const DAY = 86_400_000;

async function world() {
  const s = await apiSetup();
  let subs = 0; // key names are unique per project
  const sub = (ctx: OrgContext, extra: Record<string, unknown> = {}) =>
    createSubKey(testDb(), ctx, { projectId: s.project.id, name: `s-${++subs}`, regionId: "local", permissions: ["read"], ...extra });
  return { ...s, plus: s.members.MEMBER_PLUS, sub };
}

describe("key policy: lib functions (what the console's actions call)", () => {
  it("maximum lifetime per kind on create and on edit; region pairs get the capped expiry", async () => {
    const w = await world();
    await setPolicy(w.admin, { maxDaysMaster: 30, maxDaysSub: 7, maxDaysUser: 90 });
    expect(await refusal(createMasterKey(testDb(), w.admin, { projectId: w.project.id, name: "m", regionId: "local", expiry: "1y" }))).toBe("400 policy_violation expiresAt");
    expect(await refusal(createMasterKey(testDb(), w.admin, { projectId: w.project.id, name: "m", regionId: "local", expiry: "30d" }))).toBe("ok");
    expect(await refusal(w.sub(w.admin, { expiry: "30d" }))).toBe("400 policy_violation expiresAt");
    const e = await w.sub(w.admin, { expiry: "30d" }).catch((x: AppError) => x);
    expect((e as AppError).fieldErrors?.expiresAt[0]).toBe('Organization key policy "Maximum lifetime of sub keys": choose an expiry at most 7 days from now.');
    const ok = await w.sub(w.admin, { expiry: "7d" });
    expect(await refusal(updateKeyExpiry(testDb(), w.admin, { keyId: ok.id, expiresAt: new Date(Date.now() + 8 * DAY) }))).toBe("400 policy_violation expiresAt");
    const pair = await createRegionKey(testDb(), w.plus, w.project.id, "local");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: pair.id } });
    expect(Math.round((row.expiresAt!.getTime() - Date.now()) / DAY)).toBe(90);
  });

  it("Members+ creating sub keys, required bucket, prefix and IP limits on create and edit", async () => {
    const w = await world();
    await setPolicy(w.admin, { memberPlusMayCreateSub: false });
    expect(await refusal(w.sub(w.plus))).toBe("403 policy_violation _form");
    expect(await refusal(w.sub(w.admin))).toBe("ok");
    await setPolicy(w.admin, { subKeysRequireBuckets: true, subKeysRequirePrefix: true, subKeysRequireCidrs: true });
    expect(await refusal(w.sub(w.plus))).toBe("400 policy_violation bucketIds,prefix,allowedCidrs");
    const limited = { bucketScope: "selected" as const, bucketIds: [w.buckets[0].id], prefix: "in/", allowedCidrs: ["10.0.0.0/8"] };
    const key = await w.sub(w.plus, limited);
    const edit = { keyId: key.id, name: key.name, permissions: ["read"], ...limited };
    expect(await refusal(updateSubKey(testDb(), w.plus, { ...edit, prefix: "" }))).toBe("400 policy_violation prefix");
    expect(await refusal(updateSubKey(testDb(), w.plus, { ...edit, bucketScope: "all", bucketIds: [] }))).toBe("400 policy_violation bucketIds");
    expect(await refusal(updateSubKey(testDb(), w.plus, { ...edit, name: "renamed" }))).toBe("ok");
  });

  it("sharing by email and the longest share-link lifetime", async () => {
    const w = await world();
    const key = await w.sub(w.admin);
    await setPolicy(w.admin, { sharingAllowed: false });
    expect(await refusal(createShare(testDb(), w.admin, { keyId: key.id, recipientEmail: "a@example.com" }, mail))).toBe("403 policy_violation _form");
    await setPolicy(w.admin, { maxShareHours: 24 });
    expect(await refusal(createShare(testDb(), w.admin, { keyId: key.id, recipientEmail: "a@example.com", ttlHours: 48 }, mail))).toBe("400 policy_violation ttlHours");
    const made = await createShare(testDb(), w.admin, { keyId: key.id, recipientEmail: "a@example.com" }, mail);
    expect(Math.round((made.expiresAt.getTime() - Date.now()) / 3_600_000)).toBe(24); // the 72 h default, capped
  });

  it("flags keys made before a rule as outside policy or rotation due, never changes them, and records every change", async () => {
    const w = await world();
    const loose = await w.sub(w.admin, { expiry: "1y" });
    const before = await testDb().accessKey.findUniqueOrThrow({ where: { id: loose.id } });
    await setPolicy(w.admin, { maxDaysSub: 30, subKeysRequirePrefix: true, rotationPeriodDays: 90 });
    await testDb().accessKey.update({ where: { id: loose.id }, data: { createdAt: new Date(Date.now() - 100 * DAY) } });
    const listed = (await listProjectKeys(testDb(), w.admin, { projectId: w.project.id, kind: "SUB" })).keys.find((k) => k.id === loose.id)!;
    expect(listed.outsidePolicy).toEqual(["Maximum lifetime of sub keys: 30 days", "Sub keys must be limited to an object prefix"]);
    expect(listed.rotationDue).toBe(true);
    expect((await getKeyDetail(testDb(), w.admin, loose.id)).policyFlags.rotationDue).toBe(true);
    const after = await testDb().accessKey.findUniqueOrThrow({ where: { id: loose.id } });
    expect([after.expiresAt, after.prefix, after.disabledAt]).toEqual([before.expiresAt, before.prefix, null]);
    // The member page lists the same flags, and a disabled key as Disabled (still flagged: it can be enabled again).
    await setKeyDisabled(testDb(), w.admin, loose.id, true);
    const owned = (await listMemberKeys(testDb(), w.admin, w.admin.actor.userId)).find((k) => k.id === loose.id)!;
    expect([owned.status, owned.outsidePolicy.length, owned.rotationDue]).toEqual(["Disabled", 2, true]);
    // Rotated with an overlap: no longer due, and the lists show the open window.
    await setKeyDisabled(testDb(), w.admin, loose.id, false);
    await rotateKey(testDb(), w.admin, loose.id, { overlapMs: 3_600_000 });
    const rotated = (await listProjectKeys(testDb(), w.admin, { projectId: w.project.id, kind: "SUB" })).keys.find((k) => k.id === loose.id)!;
    expect([rotated.rotationDue, rotated.previousSecretUntil instanceof Date]).toEqual([false, true]);
    const events = await testDb().event.findMany({ where: { orgId: w.org.id, type: "org.key_policy_changed" }, orderBy: { id: "asc" } });
    expect(events.map((e) => Object.keys((e.data as { changes: object }).changes).sort())).toEqual([["maxDaysSub", "rotationPeriodDays", "subKeysRequirePrefix"]]);
    expect(events[0].actorId).toBe(w.admin.actor.userId);
    expect(await refusal(updateKeyPolicy(testDb(), w.plus, DEFAULT_KEY_POLICY))).toBe("403 forbidden ");
  });
});

describe("key policy: management API", () => {
  it("reads and changes the policy, then refuses what it forbids with field errors naming it", async () => {
    const w = await world();
    const got = await call(policyRoute.GET, "GET", "/api/v1/policy", { creds: w.master });
    expect([got.status, got.body]).toEqual([200, DEFAULT_KEY_POLICY]);
    const patched = await call(policyRoute.PATCH, "PATCH", "/api/v1/policy", { creds: w.master, body: { maxDaysSub: 7, subKeysRequireCidrs: true, sharingAllowed: false } });
    expect(patched.status, patched.text).toBe(200);
    expect(await getKeyPolicy(testDb(), w.org.id)).toMatchObject({ maxDaysSub: 7, subKeysRequireCidrs: true, sharingAllowed: false, maxDaysMaster: null });
    const tooLong = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: w.master, body: { name: "k", permissions: ["read"], allowedCidrs: ["10.0.0.0/8"], expiry: "30d" } });
    expect([tooLong.status, tooLong.body.error.code, tooLong.body.error.fields.expiresAt[0]]).toEqual([400, "policy_violation", expect.stringContaining("Maximum lifetime of sub keys")]);
    const noIps = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: w.master, body: { name: "k", permissions: ["read"], expiry: "7d" } });
    expect([noIps.status, noIps.body.error.fields.allowedCidrs[0]]).toEqual([400, expect.stringContaining("Sub keys must be limited to source IPs")]);
    const made = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: w.master, body: { name: "k", permissions: ["read"], allowedCidrs: ["10.0.0.0/8"], expiry: "7d" } });
    expect(made.status, made.text).toBe(201);
    const params = { keyId: made.body.key.id };
    const widen = await call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${params.keyId}`, { creds: w.master, params, body: { allowedCidrs: [] } });
    expect([widen.status, Object.keys(widen.body.error.fields)]).toEqual([400, ["allowedCidrs"]]);
    const shared = await call(sharesRoute.POST, "POST", `/api/v1/keys/${params.keyId}/shares`, { creds: w.master, params, body: { recipientEmail: "a@example.com" } });
    expect([shared.status, shared.body.error.code, shared.body.error.message]).toEqual([403, "policy_violation", expect.stringContaining("Keys may be shared by email")]);
  });
});

describe("key policy: management API, the other rules", () => {
  it("required buckets and prefix on create and edit, and the longest share-link lifetime", async () => {
    const w = await world();
    const patched = await call(policyRoute.PATCH, "PATCH", "/api/v1/policy", { creds: w.master, body: { subKeysRequireBuckets: true, subKeysRequirePrefix: true, maxShareHours: 24 } });
    expect(patched.status, patched.text).toBe(200);
    const open = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: w.master, body: { name: "k", permissions: ["read"], expiry: "7d" } });
    expect([open.status, open.body.error.fields.bucketIds[0], open.body.error.fields.prefix[0]]).toEqual([
      400, expect.stringContaining("Sub keys must be limited to chosen buckets"), expect.stringContaining("Sub keys must be limited to an object prefix"),
    ]);
    const made = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: w.master, body: { name: "k", permissions: ["read"], bucketIds: [w.buckets[0].id], bucketScope: "selected", prefix: "in/", expiry: "7d" } });
    expect(made.status, made.text).toBe(201);
    const params = { keyId: made.body.key.id };
    const widen = await call(keyRoute.PATCH, "PATCH", `/api/v1/keys/${params.keyId}`, { creds: w.master, params, body: { prefix: null } });
    expect([widen.status, Object.keys(widen.body.error.fields)]).toEqual([400, ["prefix"]]);
    const long = await call(sharesRoute.POST, "POST", `/api/v1/keys/${params.keyId}/shares`, { creds: w.master, params, body: { recipientEmail: "a@example.com", ttlHours: 48 } });
    expect([long.status, long.body.error.fields.ttlHours[0]]).toEqual([400, expect.stringContaining("Longest share-link lifetime")]);
  });
});

describe("key policy: CLI", () => {
  it("keygate key create is refused with the policy named, exit 1 (403) or 2 (400)", async () => {
    const w = await world();
    await setPolicy(w.admin, { memberPlusMayCreateSub: false, maxDaysMaster: 7 });
    const asPlus = await runCli(["key", "create", "--project", w.project.id, "--name", "x", "--kind", "sub", "--permissions", "read", "--owner", w.plus.actor.email], cliEnv);
    expect([asPlus.code, asPlus.stderr]).toEqual([1, expect.stringContaining("Members+ may create sub keys")]);
    const master = await runCli(["key", "create", "--project", w.project.id, "--name", "m", "--kind", "master", "--expiry", "30d"], cliEnv);
    expect([master.code, master.stderr]).toEqual([2, expect.stringContaining("Maximum lifetime of master keys")]);
    const ok = await runCli(["key", "create", "--project", w.project.id, "--name", "m", "--kind", "master", "--expiry", "7d"], cliEnv);
    expect(ok.code, ok.stderr).toBe(0);
  }, 180_000);

  it("keygate key create --kind sub is refused by the sub key lifetime and each required limit, field by field", async () => {
    const w = await world();
    await setPolicy(w.admin, { maxDaysSub: 7, subKeysRequireBuckets: true, subKeysRequirePrefix: true, subKeysRequireCidrs: true });
    const sub = (...extra: string[]) => runCli(["key", "create", "--project", w.project.id, "--name", "s", "--kind", "sub", "--permissions", "read", ...extra], cliEnv);
    const limits = ["--buckets", w.buckets[0].name, "--prefix", "in/", "--allowed-ips", "10.0.0.0/8"];
    const tooLong = await sub("--expiry", "30d", ...limits);
    expect([tooLong.code, tooLong.stderr]).toEqual([2, expect.stringContaining('expiresAt: Organization key policy "Maximum lifetime of sub keys"')]);
    const unlimited = await sub("--expiry", "7d");
    expect(unlimited.code).toBe(2);
    for (const line of [
      'bucketIds: Organization key policy "Sub keys must be limited to chosen buckets"',
      'prefix: Organization key policy "Sub keys must be limited to an object prefix"',
      'allowedCidrs: Organization key policy "Sub keys must be limited to source IPs"',
    ]) expect(unlimited.stderr).toContain(line);
    const ok = await sub("--expiry", "7d", ...limits);
    expect(ok.code, ok.stderr).toBe(0);
  }, 180_000);
});
