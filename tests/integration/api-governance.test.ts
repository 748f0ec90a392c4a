// The governance routes of the organization API (Bearer organization API token): the credential
// report as JSON and as CSV (the page's cells), and the import of an existing key pair.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as reportCsvRoute from "../../app/api/v1/credential-report.csv/route";
import * as reportRoute from "../../app/api/v1/credential-report/route";
import * as importRoute from "../../app/api/v1/projects/[projectId]/keys/import/route";
import { unsealKeySecret } from "../../lib/keys/keyring";
import { createOrgToken } from "../../lib/org-tokens/org-tokens";
import { getCredentialReport } from "../../lib/reports/credential-report";
import { credentialReportCsv } from "../../lib/reports/credential-report-table";
import { apiSetup, call, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

vi.setConfig({ testTimeout: 60_000 });
beforeAll(useTestKeyring);

async function setup() {
  const s = await apiSetup();
  const { token } = await createOrgToken(testDb(), s.admin, { name: "governance", expiry: "30d" });
  return { ...s, auth: `Bearer ${token}` };
}
const awsId = () => `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYAPIIMPORTKEY";

describe("credential report API", () => {
  it("answers the report as JSON, filtered, with the token only", async () => {
    const { auth, master, project } = await setup();
    await testDb().accessKey.update({ where: { id: master.id }, data: { createdAt: new Date(Date.now() - 10 * 86_400_000) } });
    const r = await call(reportRoute.GET, "GET", "/api/v1/credential-report?finding=never_used", { authorization: auth });
    expect(r.status, r.text).toBe(200);
    expect(r.body.keys).toHaveLength(1);
    expect(r.body.keys[0]).toMatchObject({ keyId: master.id, kind: "MASTER", projectId: project.id, findings: ["never_used"], allowedRequests30d: 0, lastUsedAt: null });
    expect((await call(reportRoute.GET, "GET", "/api/v1/credential-report?finding=expiring", { authorization: auth })).body.keys).toEqual([]);
    expect((await call(reportRoute.GET, "GET", "/api/v1/credential-report?status=bogus", { authorization: auth })).status).toBe(400);
    // A master key is not an organization token.
    expect((await call(reportRoute.GET, "GET", "/api/v1/credential-report", { creds: master })).status).toBe(401);
  });

  it("answers the CSV with the page's cells", async () => {
    const { auth, admin } = await setup();
    const res = await reportCsvRoute.GET(new Request("http://localhost:3000/api/v1/credential-report.csv?status=all", { headers: { authorization: auth } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = await res.text();
    const expected = credentialReportCsv(await getCredentialReport(testDb(), admin, { status: "all" }));
    expect(csv).toBe(expected);
    expect(csv.split("\r\n")[1]).toMatch(/^automation,KG/);
  });
});

describe("key import API", () => {
  it("imports a pair (201, no secret in the answer), refuses duplicates (409) and bad formats (400)", async () => {
    const { auth, project } = await setup();
    const accessKeyId = awsId();
    const path = `/api/v1/projects/${project.id}/keys/import`;
    const r = await call(importRoute.POST, "POST", path, { authorization: auth, params: { projectId: project.id }, body: { kind: "SUB", name: "from-ceph", accessKeyId, secret: SECRET, permissions: ["read"] } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ kind: "SUB", accessKeyId, imported: true, projectId: project.id, regionId: "local" });
    expect(r.text).not.toContain(SECRET);
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { accessKeyId } });
    expect([row.imported, row.permissions, unsealKeySecret(row)]).toEqual([true, ["read"], SECRET]);

    const dup = await call(importRoute.POST, "POST", path, { authorization: auth, params: { projectId: project.id }, body: { kind: "MASTER", name: "dup", accessKeyId, secret: SECRET } });
    expect([dup.status, dup.body.error.message]).toEqual([409, "This access key id is already used by a key of this instance."]);
    const bad = await call(importRoute.POST, "POST", path, { authorization: auth, params: { projectId: project.id }, body: { kind: "MASTER", name: "bad", accessKeyId: "short", secret: "tiny-secret" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({ accessKeyId: [expect.stringContaining("16 to 128")], secret: [expect.stringContaining("30 to 128")] });
    expect(bad.text).not.toContain("tiny-secret");
    const other = await setup();
    const foreign = await call(importRoute.POST, "POST", `/api/v1/projects/${other.project.id}/keys/import`, { authorization: auth, params: { projectId: other.project.id }, body: { kind: "MASTER", name: "x", accessKeyId: awsId(), secret: SECRET } });
    expect(foreign.status).toBe(404);
  });
});
