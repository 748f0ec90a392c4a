// Organization key policies through the console's server actions themselves (form data in, action
// result out, as the forms read it with useActionState): each rule refuses what it forbids with a
// field error that names the policy. Only the session lookup, the database handle and Next's
// cache revalidation are replaced; the actions, runAction and the lib functions are the real ones.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { DEFAULT_KEY_POLICY, getKeyPolicy, type KeyPolicy, updateKeyPolicy } from "../../lib/policies/key-policy";
import { apiSetup } from "./api-fixtures";
import { randomKeyring } from "./cli-harness";
import { testDb } from "./helpers";

let signedIn: OrgContext;
vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/page-context", () => ({ requireOrgContext: async () => signedIn }));
vi.mock("@/lib/db", async (original) => ({ ...(await original<typeof import("../../lib/db")>()), getDb: () => testDb() }));
vi.mock("@/lib/shares/create-share", async (original) => ({
  ...(await original<typeof import("../../lib/shares/create-share")>()),
  shareDepsFromEnv: () => ({ transport: { kind: "outbox", send: async () => ({ id: "1", transport: "outbox" }) }, publicUrl: "http://localhost:3000", defaultTtlHours: 72 }),
}));

const { createMasterKeyAction, createSubKeyAction, updateSubKeyAction } = await import("../../app/(console)/orgs/[orgId]/projects/[projectId]/keys/actions");
const { shareKeyAction } = await import("../../app/(console)/orgs/[orgId]/keys/[keyId]/share-actions");
const { updateKeyPolicyAction } = await import("../../app/(console)/orgs/[orgId]/settings/actions");
const { createRegionKeyAction } = await import("../../app/(console)/orgs/[orgId]/projects/[projectId]/my-keys/actions");

beforeAll(() => setKeyring(parseSealingKeys(randomKeyring())));

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f;
};
const idle = { ok: true } as const;
/** The field errors of a refused action: { field: first message }. */
const refused = (r: { ok: boolean; fieldErrors?: Record<string, string[]> }) => (r.ok ? "ok" : Object.fromEntries(Object.entries(r.fieldErrors ?? {}).map(([f, m]) => [f, m[0]])));
const policyNamed = (label: string) => expect.stringContaining(`Organization key policy "${label}"`);

/** The key an action created (the dialog's view carries the access key id, not the row id). */
const idOf = async (r: object) =>
  (await testDb().accessKey.findUniqueOrThrow({ where: { accessKeyId: (r as { data: { accessKeyId: string } }).data.accessKeyId } })).id;

async function world(change: Partial<KeyPolicy>) {
  const s = await apiSetup();
  await updateKeyPolicy(testDb(), s.admin, { ...DEFAULT_KEY_POLICY, ...change });
  signedIn = s.admin;
  return { ...s, plus: s.members.MEMBER_PLUS as OrgContext };
}

describe("key policy: console actions", () => {
  it("lifetimes per kind, Members+ creating sub keys and each required sub key limit, on create and on edit", async () => {
    const w = await world({ maxDaysMaster: 30, maxDaysSub: 7, maxDaysUser: 90, memberPlusMayCreateSub: false, subKeysRequireBuckets: true, subKeysRequirePrefix: true, subKeysRequireCidrs: true });
    const org = w.org.id, project = w.project.id;
    expect(refused(await createMasterKeyAction(org, project, idle, form({ name: "m", regionId: "local", expiry: "1y" })))).toEqual({ expiresAt: policyNamed("Maximum lifetime of master keys") });
    const sub = { name: "s", regionId: "local", permissions: ["read"], expiry: "7d", bucketScope: "selected", bucketIds: [w.buckets[0].id], prefix: "in/", allowedCidrs: "10.0.0.0/8" };
    expect(refused(await createSubKeyAction(org, project, idle, form({ ...sub, expiry: "30d" })))).toEqual({ expiresAt: policyNamed("Maximum lifetime of sub keys") });
    expect(refused(await createSubKeyAction(org, project, idle, form({ ...sub, bucketScope: "all", bucketIds: [], prefix: "", allowedCidrs: "" })))).toEqual({
      bucketIds: policyNamed("Sub keys must be limited to chosen buckets"),
      prefix: policyNamed("Sub keys must be limited to an object prefix"),
      allowedCidrs: policyNamed("Sub keys must be limited to source IPs"),
    });
    const made = await createSubKeyAction(org, project, idle, form(sub));
    expect(made.ok).toBe(true);
    const keyId = await idOf(made);
    expect(refused(await updateSubKeyAction(org, keyId, idle, form({ ...sub, prefix: "" })))).toEqual({ prefix: policyNamed("Sub keys must be limited to an object prefix") });

    signedIn = w.plus;
    const asPlus = await createSubKeyAction(org, project, idle, form({ ...sub, name: "p" }));
    expect([asPlus.ok, asPlus.ok ? "" : asPlus.error]).toEqual([false, policyNamed("Members+ may create sub keys")]);
    // Region key pairs are never refused: they get the capped lifetime.
    expect((await createRegionKeyAction(org, project, "local")).ok).toBe(true);
    const pair = await testDb().accessKey.findFirstOrThrow({ where: { projectId: project, kind: "USER", ownerId: w.plus.actor.userId } });
    expect(Math.round((pair.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(90);
  });

  it("sharing by email and the longest share-link lifetime; the policy form itself names the policy it refuses", async () => {
    const w = await world({ maxShareHours: 24 });
    const sub = await createSubKeyAction(w.org.id, w.project.id, idle, form({ name: "s", regionId: "local", permissions: ["read"] }));
    const subId = await idOf(sub);
    expect(refused(await shareKeyAction(w.org.id, subId, idle, form({ recipientEmail: "a@example.com", ttlHours: "48" })))).toEqual({ ttlHours: policyNamed("Longest share-link lifetime") });
    expect((await shareKeyAction(w.org.id, subId, idle, form({ recipientEmail: "a@example.com" }))).ok).toBe(true);

    // The settings form: checkboxes send "on" or nothing, empty number fields mean "no limit".
    const saved = await updateKeyPolicyAction(w.org.id, idle, form({ maxDaysSub: "", maxShareHours: "24", memberPlusMayCreateSub: "on" }));
    expect(saved.ok).toBe(true);
    expect((await getKeyPolicy(testDb(), w.org.id)).sharingAllowed).toBe(false); // unchecked box
    const noSharing = await shareKeyAction(w.org.id, subId, idle, form({ recipientEmail: "b@example.com" }));
    expect([noSharing.ok, noSharing.ok ? "" : noSharing.error]).toEqual([false, policyNamed("Keys may be shared by email")]);
    const bad = await updateKeyPolicyAction(w.org.id, idle, form({ maxShareHours: "1000", sharingAllowed: "on" }));
    expect(refused(bad)).toEqual({ maxShareHours: "At most 720 hours (30 days)." });
    signedIn = w.plus;
    expect((await updateKeyPolicyAction(w.org.id, idle, form({ sharingAllowed: "on" }))).ok).toBe(false); // admins only
  });
});
