// The console's credential report page, rendered on the server as Next renders it: its table
// shows exactly the cells of the CSV download for the same filters (the CSV matches the page).
import { randomBytes } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { getCredentialReport } from "../../lib/reports/credential-report";
import { credentialReportCsv } from "../../lib/reports/credential-report-table";
import { createOrgWith, testDb } from "./helpers";

let admin: OrgContext;
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/page-context", () => ({ requireOrgContext: vi.fn(async () => admin) }));
vi.mock("@/lib/db", async (original) => ({ ...(await original<object>()), getDb: () => testDb() }));
vi.mock("../../app/(console)/orgs/[orgId]/credential-report/actions", () => ({ bulkKeyAction: async () => ({ ok: true }) }));
const { default: Page } = await import("../../app/(console)/orgs/[orgId]/credential-report/page");

beforeAll(async () => {
  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
  admin = (await createOrgWith(["ADMIN"])).members.ADMIN;
  const project = await testDb().project.create({ data: { orgId: admin.orgId, name: "web, \"assets\"" } });
  const old = await createMasterKey(testDb(), admin, { projectId: project.id, name: "=cmd|old", regionId: "local" });
  await testDb().accessKey.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 9 * 86_400_000) } });
  const used = await createSubKey(testDb(), admin, { projectId: project.id, name: "reader", regionId: "local", permissions: ["read"], expiry: "7d" });
  await testDb().accessKey.update({ where: { id: used.id }, data: { lastUsedAt: new Date(), lastUsedIp: "203.0.113.9", lastUsedOp: "GetObject" } });
});

const decode = (s: string) => s.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The page's table: header titles and each row's cells (without the selection checkbox). */
function tableOf(html: string) {
  const table = html.slice(html.indexOf('data-testid="credential-report"'));
  const headers = [...table.slice(0, table.indexOf("</thead>")).matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => decode(m[1])).slice(1);
  const rows = table.split('data-testid="report-row-').slice(1).map((r) => [...r.slice(0, r.indexOf("</tr>")).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => decode(m[1])).slice(1));
  return { headers, rows };
}

/** RFC 4180 lines of our own CSV output. */
function csvOf(text: string): string[][] {
  return text.trimEnd().split("\r\n").map((line) => [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2])));
}

describe("credential report page", () => {
  it("shows exactly the CSV's header and cells, row for row, for the same filters", async () => {
    for (const filters of [{}, { status: "all" }, { finding: "any" }]) {
      const html = renderToStaticMarkup(await Page({ params: Promise.resolve({ orgId: admin.orgId }), searchParams: Promise.resolve(filters) }));
      const page = tableOf(html);
      const csv = csvOf(credentialReportCsv(await getCredentialReport(testDb(), admin, filters)));
      expect(page.headers).toEqual(csv[0]);
      // The CSV defuses spreadsheet formulas with a leading apostrophe; the page shows the name as it is.
      expect(page.rows).toEqual(csv.slice(1).map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/, ""))));
      expect(page.rows.map((r) => r[0])).toContain("=cmd|old");
    }
    const html = renderToStaticMarkup(await Page({ params: Promise.resolve({ orgId: admin.orgId }), searchParams: Promise.resolve({}) }));
    expect(html).toContain("Never used");
    expect(html).toContain("Expiring soon");
    expect(html).toContain(`/orgs/${admin.orgId}/credential-report/export?`);
  });
});
