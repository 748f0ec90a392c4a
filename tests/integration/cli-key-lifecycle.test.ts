// keygate org policy get|set, key rotate and key end-overlap, run as operators run them (a child
// process) against the shared test database.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createMasterKey } from "../../lib/keys/create-keys";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { setKeyring, unsealKeySecret } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { DEFAULT_KEY_POLICY, getKeyPolicy } from "../../lib/policies/key-policy";
import { parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";
import { createOrgWith, testDb } from "./helpers";

// Each CLI run is a fresh Node process (about a second, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

let env: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  env = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});
const cli = (...args: string[]) => runCli(args, env);
const HOUR = 3_600_000;

async function seed() {
  const { org, members } = await createOrgWith(["ADMIN"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomUUID().slice(0, 6)}` } });
  const key = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "ci", regionId: "local" });
  return { org, admin: members.ADMIN, project, key };
}

describe("keygate org policy", () => {
  it("shows the policy, changes only the policies given (with an event), and refuses bad values naming the policy", async () => {
    const { org } = await seed();
    expect(parseJson(await cli("org", "policy", "get", "--org", org.id, "--json"))).toEqual(DEFAULT_KEY_POLICY);

    const set = await cli("org", "policy", "set", "--org", org.id, "--max-days-sub", "90", "--sub-keys-require-prefix", "yes", "--rotation-period-days", "30");
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("Changed the key policy of");
    expect(set.stdout).toMatch(/Maximum lifetime of sub keys:\s+90 days/);
    expect(await getKeyPolicy(testDb(), org.id)).toEqual({ ...DEFAULT_KEY_POLICY, maxDaysSub: 90, subKeysRequirePrefix: true, rotationPeriodDays: 30 });
    const event = await testDb().event.findFirstOrThrow({ where: { orgId: org.id, type: "org.key_policy_changed" } });
    expect(event.actorName).toBe("keygate CLI");
    expect(Object.keys((event.data as { changes: object }).changes).sort()).toEqual(["maxDaysSub", "rotationPeriodDays", "subKeysRequirePrefix"]);

    const unset = parseJson(await cli("org", "policy", "set", "--org", org.id, "--max-days-sub", "none", "--sharing-allowed", "no", "--json"));
    expect(unset).toMatchObject({ maxDaysSub: null, sharingAllowed: false, subKeysRequirePrefix: true, rotationPeriodDays: 30 });
    const text = await cli("org", "policy", "get", "--org", org.id);
    expect(text.stdout).toMatch(/Keys may be shared by email:\s+no/);

    const tooLong = await cli("org", "policy", "set", "--org", org.id, "--max-share-hours", "1000", "--max-days-master", "0");
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("--max-share-hours: Longest share-link lifetime: At most 720 hours (30 days).");
    expect(tooLong.stderr).toContain("--max-days-master: Maximum lifetime of master keys: At least 1 day.");
    const notBool = await cli("org", "policy", "set", "--org", org.id, "--sharing-allowed", "maybe");
    expect([notBool.code, notBool.stderr]).toEqual([2, expect.stringContaining("--sharing-allowed must be yes or no (Keys may be shared by email)")]);
    expect((await cli("org", "policy", "set", "--org", org.id)).code).toBe(2);
    expect((await cli("org", "policy", "get", "--org", "nope")).stderr).toContain("Organization nope not found.");
    expect(await testDb().event.count({ where: { orgId: org.id, type: "org.key_policy_changed" } })).toBe(2); // refusals changed nothing
  });
});

describe("keygate key rotate / end-overlap", () => {
  it("prints the new secret once, keeps the old one for the overlap, ends it; refuses bad input and keys that are not active", async () => {
    const { admin, key } = await seed();
    const rotated = parseJson<{ secret: string; previousValidUntil: string }>(await cli("key", "rotate", key.accessKeyId, "--overlap", "1h", "--json"));
    let row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(unsealKeySecret(row)).toBe(rotated.secret);
    expect(unsealKeySecret({ accessKeyId: row.accessKeyId, sealedSecret: row.previousSealedSecret! })).toBe(key.secret);
    expect(Math.abs(new Date(rotated.previousValidUntil).getTime() - (Date.now() + HOUR))).toBeLessThan(60_000);
    const event = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.rotated" } });
    expect([event.actorName, JSON.stringify(event.data).includes(rotated.secret)]).toEqual(["keygate CLI", false]);

    // Human output: the secret once, and what happened to the previous one. Rotating again ends the open window.
    const again = await cli("key", "rotate", key.id);
    expect(again.code, again.stderr).toBe(0);
    const secret = /Secret access key:\s+(\S+)/.exec(again.stdout)![1];
    expect(again.stdout).toContain("Previous secret:    no longer works");
    expect(again.stderr).toContain("shown only this once");
    row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect([unsealKeySecret(row), row.previousSealedSecret]).toEqual([secret, null]);
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.overlap_ended", data: { path: ["reason"], equals: "rotated_again" } } })).toBe(1);

    const third = parseJson<{ previousValidUntil: string }>(await cli("key", "rotate", key.accessKeyId, "--overlap", "24h", "--json"));
    expect(third.previousValidUntil).not.toBeNull();
    const ended = await cli("key", "end-overlap", key.accessKeyId);
    expect(ended.stdout).toContain(`Ended the overlap of key ${key.accessKeyId}`);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).previousSealedSecret).toBeNull();
    expect((await cli("key", "end-overlap", key.accessKeyId)).stdout).toContain("has no open overlap window; nothing changed");

    expect((await cli("key", "rotate", key.accessKeyId, "--overlap", "2h")).code).toBe(2);
    expect((await cli("key", "rotate", "KGNOSUCHKEY")).stderr).toContain("Key KGNOSUCHKEY not found.");
    await setKeyDisabled(testDb(), admin, key.id, true);
    const disabled = await cli("key", "rotate", key.accessKeyId);
    expect([disabled.code, disabled.stderr]).toEqual([1, expect.stringContaining("This key is disabled; it cannot be rotated.")]);
  });
});
