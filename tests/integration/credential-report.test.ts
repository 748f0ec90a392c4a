// The credential report: each finding, the 30-day allowed-request count, filters, ADMIN only,
// the CSV matching the page's cells, and bulk disable / revoke of selected keys.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { updateKeyPolicy } from "../../lib/policies/key-policy";
import { applyBulkKeyAction } from "../../lib/reports/bulk-key-action";
import { type CredentialReportRow, getCredentialReport } from "../../lib/reports/credential-report";
import { credentialReportCells, credentialReportCsv, REPORT_COLUMNS } from "../../lib/reports/credential-report-table";
import { createOrgWith, testDb } from "./helpers";

const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

let admin: OrgContext;
let memberPlus: OrgContext;
let projectId: string;
let otherProjectId: string;
const ids: Record<string, string> = {};

async function key(name: string, facts: { createdAt: Date; lastUsedAt?: Date | null; expiresAt?: Date | null; rotatedAt?: Date | null; revokedAt?: Date | null }, project = projectId) {
  const k = await createMasterKey(testDb(), admin, { projectId: project, name, regionId: "local", expiry: "1y" });
  await testDb().accessKey.update({ where: { id: k.id }, data: { lastUsedAt: null, expiresAt: null, rotatedAt: null, ...facts, lastUsedIp: facts.lastUsedAt ? "::ffff:10.1.2.3" : null, lastUsedOp: facts.lastUsedAt ? "GetObject" : null } });
  ids[name] = k.id;
}

beforeAll(async () => {
  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
  const seeded = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
  admin = seeded.members.ADMIN;
  memberPlus = seeded.members.MEMBER_PLUS;
  projectId = (await testDb().project.create({ data: { orgId: admin.orgId, name: "main" } })).id;
  otherProjectId = (await testDb().project.create({ data: { orgId: admin.orgId, name: "other" } })).id;
  await updateKeyPolicy(testDb(), admin, { rotationPeriodDays: 30, memberPlusMayCreateSub: true, sharingAllowed: true });
  await key("never-used-old", { createdAt: ago(10) });
  await key("never-used-new", { createdAt: ago(3) });
  await key("unused-100", { createdAt: ago(20), rotatedAt: ago(5), lastUsedAt: ago(100) });
  await key("expiring-3", { createdAt: ago(2), lastUsedAt: ago(1), expiresAt: new Date(now.getTime() + 3 * DAY) });
  await key("expiring-10", { createdAt: ago(2), lastUsedAt: ago(1), expiresAt: new Date(now.getTime() + 10 * DAY) });
  await key("rotation-due", { createdAt: ago(40), lastUsedAt: ago(1) });
  await key("rotated-recently", { createdAt: ago(40), rotatedAt: ago(5), lastUsedAt: ago(1) });
  await key("revoked-old", { createdAt: ago(200), revokedAt: ago(100) });
  await key("healthy-other", { createdAt: ago(1), lastUsedAt: ago(0.5) }, otherProjectId);
  // Allowed requests: three in the window, one too old, one denied.
  const base = { type: "key.request", orgId: admin.orgId, projectId, keyId: ids["rotation-due"], operation: "GetObject" };
  await testDb().event.createMany({
    data: [
      { ...base, at: ago(1), outcome: "allowed" }, { ...base, at: ago(2), outcome: "allowed" }, { ...base, at: ago(29), outcome: "allowed" },
      { ...base, at: ago(31), outcome: "allowed" }, { ...base, at: ago(1), outcome: "denied" },
    ],
  });
  // Another organization's key never appears.
  const other = await createOrgWith(["ADMIN"]);
  const p = await testDb().project.create({ data: { orgId: other.org.id, name: "x" } });
  await createMasterKey(testDb(), other.members.ADMIN, { projectId: p.id, name: "foreign", regionId: "local" });
});

const byName = (rows: CredentialReportRow[]) => Object.fromEntries(rows.map((r) => [r.name, r]));

describe("credential report", () => {
  it("flags each finding on the right keys, and only on live keys", async () => {
    const report = await getCredentialReport(testDb(), admin, {}, now);
    const rows = byName(report.rows);
    expect(Object.keys(rows).sort()).toEqual(
      ["expiring-10", "expiring-3", "healthy-other", "never-used-new", "never-used-old", "rotated-recently", "rotation-due", "unused-100"],
    );
    expect(rows["never-used-old"].findings).toEqual(["never_used"]);
    expect(rows["never-used-new"].findings).toEqual([]);
    expect(rows["unused-100"].findings).toEqual(["unused"]);
    expect(rows["expiring-3"].findings).toEqual(["expiring"]);
    expect(rows["expiring-10"].findings).toEqual([]);
    expect(rows["rotation-due"].findings).toEqual(["rotation_due"]);
    expect(rows["rotated-recently"].findings).toEqual([]);
    expect(rows["healthy-other"].findings).toEqual([]);
    const all = byName((await getCredentialReport(testDb(), admin, { status: "all" }, now)).rows);
    expect(all["revoked-old"]).toMatchObject({ status: "Revoked", findings: [] });
  });

  it("the unused threshold is configurable", async () => {
    expect(byName((await getCredentialReport(testDb(), admin, { unusedDays: 120 }, now)).rows)["unused-100"].findings).toEqual([]);
    expect(byName((await getCredentialReport(testDb(), admin, { unusedDays: "30" }, now)).rows)["unused-100"].findings).toEqual(["unused"]);
  });

  it("reports age, last use, rotation, expiry and allowed requests of the last 30 days", async () => {
    const r = byName((await getCredentialReport(testDb(), admin, {}, now)).rows);
    expect(r["rotation-due"]).toMatchObject({ ageDays: 40, allowedRequests30d: 3, lastUsedIp: "::ffff:10.1.2.3", lastUsedOp: "GetObject", kind: "MASTER", projectName: "main" });
    expect(r["rotated-recently"].rotatedAt?.getTime()).toBe(ago(5).getTime());
    expect(r["expiring-3"].expiresInDays).toBe(3);
    expect(r["never-used-old"]).toMatchObject({ allowedRequests30d: 0, lastUsedAt: null, expiresInDays: null });
  });

  it("filters by project, kind and finding", async () => {
    const names = async (f: object) => (await getCredentialReport(testDb(), admin, f, now)).rows.map((r) => r.name).sort();
    expect(await names({ projectId: otherProjectId })).toEqual(["healthy-other"]);
    expect(await names({ finding: "expiring" })).toEqual(["expiring-3"]);
    expect(await names({ finding: "any" })).toEqual(["expiring-3", "never-used-old", "rotation-due", "unused-100"]);
    expect(await names({ kind: "SUB" })).toEqual([]);
    await expect(getCredentialReport(testDb(), admin, { finding: "bogus" }, now)).rejects.toThrow();
  });

  it("is for admins only", async () => {
    await expect(getCredentialReport(testDb(), memberPlus, {}, now)).rejects.toMatchObject({ status: 403 });
  });

  it("the CSV has the page's columns and cells, row for row", async () => {
    const report = await getCredentialReport(testDb(), admin, {}, now);
    const lines = parseCsv(credentialReportCsv(report));
    expect(lines[0]).toEqual(REPORT_COLUMNS.map((c) => c.header));
    expect(lines.slice(1)).toEqual(credentialReportCells(report));
    const row = lines.find((l) => l[0] === "rotation-due")!;
    expect(row[REPORT_COLUMNS.findIndex((c) => c.id === "findings")]).toBe("Rotation due");
    expect(row[REPORT_COLUMNS.findIndex((c) => c.id === "last_used_ip")]).toBe("10.1.2.3");
  });

  it("bulk-disables and bulk-revokes the selected keys, reporting the ones it cannot change", async () => {
    const a = await createSubKey(testDb(), admin, { projectId, name: "bulk-a", regionId: "local", permissions: ["read"] });
    const b = await createSubKey(testDb(), admin, { projectId, name: "bulk-b", regionId: "local", permissions: ["read"] });
    const disabled = await applyBulkKeyAction(testDb(), admin, { action: "disable", keyIds: [a.id, b.id] });
    expect(disabled).toEqual({ done: 2, failed: [] });
    const report = byName((await getCredentialReport(testDb(), admin, {}, now)).rows);
    expect([report["bulk-a"].status, report["bulk-b"].status]).toEqual(["Disabled", "Disabled"]);
    const revoked = await applyBulkKeyAction(testDb(), admin, { action: "revoke", keyIds: [a.id, "no-such-key"] });
    expect(revoked.done).toBe(1);
    expect(revoked.failed).toEqual([{ keyId: "no-such-key", message: "Key not found" }]);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: a.id } })).revokedAt).not.toBeNull();
    const types = (await testDb().event.findMany({ where: { keyId: a.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["key.created", "key.disabled", "key.revoked"]);
    await expect(applyBulkKeyAction(testDb(), memberPlus, { action: "disable", keyIds: [b.id] })).rejects.toMatchObject({ status: 403 });
  });
});

/** RFC 4180, enough for our own output (quoted cells with "" escapes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i++; }
    else cell += c;
  }
  return rows;
}
