// Thin adapters from an organization API token's caller to the governance lib functions.
import type { z } from "zod";
import type { Db } from "../db";
import { getEnv } from "../env";
import { importKey } from "../keys/import-key";
import { getCredentialReport } from "../reports/credential-report";
import { credentialReportCsv } from "../reports/credential-report-table";
import type { OrgTokenCaller } from "./authenticate-org-token";
import type { credentialReportQuery, importKeyRequest } from "./governance-schemas";

type ReportQuery = z.output<typeof credentialReportQuery>;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function getApiCredentialReport(db: Db, caller: OrgTokenCaller, query: ReportQuery) {
  const report = await getCredentialReport(db, caller, query);
  return {
    generatedAt: report.generatedAt.toISOString(),
    truncated: report.truncated,
    keys: report.rows.map(({ ownerName: _n, ...r }) => ({
      ...r, createdAt: r.createdAt.toISOString(), rotatedAt: iso(r.rotatedAt), lastUsedAt: iso(r.lastUsedAt), expiresAt: iso(r.expiresAt),
    })),
  };
}

export async function getApiCredentialReportCsv(db: Db, caller: OrgTokenCaller, query: ReportQuery) {
  return credentialReportCsv(await getCredentialReport(db, caller, query));
}

export async function importApiKey(db: Db, caller: OrgTokenCaller, projectId: string, body: z.output<typeof importKeyRequest>) {
  const regionId = body.regionId ?? getEnv().regions[0].id;
  const issued = await importKey(db, caller, { ...body, projectId, regionId, prefix: body.prefix ?? undefined });
  const row = await db.accessKey.findUniqueOrThrow({ where: { id: issued.id }, select: { expiresAt: true } });
  return { id: issued.id, kind: body.kind, name: issued.name, projectId, regionId, accessKeyId: issued.accessKeyId, imported: true as const, expiresAt: iso(row.expiresAt) };
}
