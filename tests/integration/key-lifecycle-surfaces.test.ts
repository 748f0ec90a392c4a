// Disable/enable, rotation overlap, descriptions and the key list search through the management
// API and the CLI (the console's actions call the same lib functions, tested in
// key-lifecycle-gateway.test.ts and shares.test.ts).
import { beforeAll, describe, expect, inject, it } from "vitest";
import * as disableRoute from "../../app/api/v1/keys/[keyId]/disable/route";
import * as enableRoute from "../../app/api/v1/keys/[keyId]/enable/route";
import * as endOverlapRoute from "../../app/api/v1/keys/[keyId]/end-overlap/route";
import * as rotateRoute from "../../app/api/v1/keys/[keyId]/rotate/route";
import * as keyRoute from "../../app/api/v1/keys/[keyId]/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import { AppError } from "../../lib/errors";
import { createSubKey } from "../../lib/keys/create-keys";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { setKeyring } from "../../lib/keys/keyring";
import { listProjectKeys } from "../../lib/keys/list-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { endOverlap, rotateKey } from "../../lib/keys/rotate-key";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { updateKeyDescription } from "../../lib/keys/update-key-description";
import { apiSetup, call } from "./api-fixtures";
import { randomKeyring, runCli, tempDir } from "./cli-harness";
import { testDb } from "./helpers";

let cliEnv: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  cliEnv = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});

const newKey = (extra: Record<string, unknown> = {}) => ({ name: "backup-job", permissions: ["read", "list"], ...extra });

describe("management API", () => {
  it("disables and enables a sub key; status, disabledAt and events follow", async () => {
    const { master } = await apiSetup();
    const made = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey() });
    const params = { keyId: made.body.key.id };
    const off = await call(disableRoute.POST, "POST", "/x", { creds: master, params });
    expect([off.status, off.body.status, typeof off.body.disabledAt]).toEqual([200, "Disabled", "string"]);
    const again = await call(disableRoute.POST, "POST", "/x", { creds: master, params });
    expect(again.body.disabledAt).toBe(off.body.disabledAt); // no-op
    const on = await call(enableRoute.POST, "POST", "/x", { creds: master, params });
    expect([on.status, on.body.status, on.body.disabledAt]).toEqual([200, "Active", null]);
    const types = await testDb().event.findMany({ where: { keyId: params.keyId, type: { in: ["key.disabled", "key.enabled"] } }, orderBy: { id: "asc" } });
    expect(types.map((e) => e.type)).toEqual(["key.disabled", "key.enabled"]);
  });

  it("rotates with an overlap window, shows it, and ends it", async () => {
    const { master } = await apiSetup();
    const made = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey({ expiry: "30d" }) });
    const params = { keyId: made.body.key.id };
    const bad = await call(rotateRoute.POST, "POST", "/x", { creds: master, params, body: { overlap: "3d" } });
    expect([bad.status, Object.keys(bad.body.error.fields)]).toEqual([400, ["overlap"]]);
    const rotated = await call(rotateRoute.POST, "POST", "/x", { creds: master, params, body: { overlap: "24h" } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.key.previousSecretLast4).toBe(made.body.secret.slice(-4));
    const until = new Date(rotated.body.key.previousSecretValidUntil).getTime() - Date.now();
    expect(until).toBeGreaterThan(23.9 * 3_600_000);
    expect(until).toBeLessThanOrEqual(24 * 3_600_000);
    const plain = await call(rotateRoute.POST, "POST", "/x", { creds: master, params }); // no body: no overlap, ends the open window
    expect([plain.body.key.previousSecretLast4, plain.body.key.previousSecretValidUntil]).toEqual([null, null]);
    await call(rotateRoute.POST, "POST", "/x", { creds: master, params, body: { overlap: "1h" } });
    const ended = await call(endOverlapRoute.POST, "POST", "/x", { creds: master, params });
    expect([ended.status, ended.body.previousSecretValidUntil]).toEqual([200, null]);
    const events = await testDb().event.findMany({ where: { keyId: params.keyId, type: "key.overlap_ended" }, orderBy: { id: "asc" } });
    expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual(["rotated_again", "ended_now"]);
  });

  it("a master key's previous secret authenticates during its overlap window only; a disabled master key does not", async () => {
    const { master, admin } = await apiSetup();
    const rotated = await rotateKey(testDb(), admin, master.id, { overlapMs: 3_600_000 });
    const list = (creds: { accessKeyId: string; secret: string }) => call(keysRoute.GET, "GET", "/api/v1/keys", { creds }).then((r) => r.status);
    expect([await list(master), await list(rotated)]).toEqual([200, 200]);
    await endOverlap(testDb(), admin, master.id);
    expect([await list(master), await list(rotated)]).toEqual([401, 200]);
    await setKeyDisabled(testDb(), admin, master.id, true);
    expect(await list(rotated)).toBe(401);
  });

  it("sets, changes and clears a description (at most 500 characters)", async () => {
    const { master } = await apiSetup();
    const made = await call(keysRoute.POST, "POST", "/api/v1/keys", { creds: master, body: newKey({ description: "  nightly backup of the CRM  " }) });
    expect(made.body.key.description).toBe("nightly backup of the CRM");
    const params = { keyId: made.body.key.id };
    const long = await call(keyRoute.PATCH, "PATCH", "/x", { creds: master, params, body: { description: "x".repeat(501) } });
    expect([long.status, Object.keys(long.body.error.fields)]).toEqual([400, ["description"]]);
    const changed = await call(keyRoute.PATCH, "PATCH", "/x", { creds: master, params, body: { description: "owned by ops" } });
    expect(changed.body.description).toBe("owned by ops");
    const cleared = await call(keyRoute.PATCH, "PATCH", "/x", { creds: master, params, body: { description: null } });
    expect(cleared.body.description).toBeNull();
    const updates = await testDb().event.findMany({ where: { keyId: params.keyId, type: "key.updated" } });
    expect(updates.map((e) => Object.keys((e.data as { changes: object }).changes))).toEqual([["description"], ["description"]]);
  });
});

describe("description and the key list search", () => {
  it("finds keys by name, description or access key id, in any case", async () => {
    const { admin, project } = await apiSetup();
    const a = await createSubKey(testDb(), admin, { projectId: project.id, name: "alpha", regionId: "local", permissions: ["read"], description: "Uploads from the Billing service" });
    const b = await createSubKey(testDb(), admin, { projectId: project.id, name: "beta", regionId: "local", permissions: ["read"] });
    await updateKeyDescription(testDb(), admin, b.id, "reporting");
    const search = async (q: string) => (await listProjectKeys(testDb(), admin, { projectId: project.id, kind: "SUB", q })).keys.map((k) => k.name).sort();
    expect(await search("billing")).toEqual(["alpha"]);
    expect(await search("REPORT")).toEqual(["beta"]);
    expect(await search(b.accessKeyId.toLowerCase())).toEqual(["beta"]);
    expect(await search("a")).toEqual(["alpha", "beta"]);
    expect(await search("nothing-like-this")).toEqual([]);
    const err = await updateKeyDescription(testDb(), admin, a.id, "y".repeat(501)).catch((e: AppError) => e);
    expect((err as AppError).fieldErrors).toEqual({ description: ["Use at most 500 characters."] });
  });
});

describe("CLI", () => {
  it("keygate key disable / enable by access key id", async () => {
    const { admin, project } = await apiSetup();
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "cli", regionId: "local", permissions: ["read"] });
    const off = await runCli(["key", "disable", key.accessKeyId, "--json"], cliEnv);
    expect(off.code, off.stderr).toBe(0);
    expect(JSON.parse(off.stdout).disabledAt).not.toBeNull();
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).disabledAt).not.toBeNull();
    const on = await runCli(["key", "enable", key.accessKeyId], cliEnv);
    expect([on.code, on.stdout]).toEqual([0, expect.stringContaining("Enabled key")]);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).disabledAt).toBeNull();
    await revokeKey(testDb(), admin, key.id);
    const dead = await runCli(["key", "disable", key.id], cliEnv);
    expect([dead.code, dead.stderr]).toEqual([1, expect.stringContaining("revoked")]);
  }, 180_000);
});
