import Link from "next/link";
import { Download } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { listProjects } from "@/lib/projects/projects";
import { credentialReportFiltersSchema, FINDING_LABELS, FINDINGS, getCredentialReport, NEVER_USED_AFTER_DAYS, REPORT_MAX_ROWS } from "@/lib/reports/credential-report";
import { credentialReportCells, REPORT_COLUMNS, reportTime } from "@/lib/reports/credential-report-table";
import { bulkKeyAction } from "./actions";
import { ReportFilters } from "./report-filters";
import { ReportTable } from "./report-table";

export const metadata = { title: "Credential report" };

type Props = { params: Promise<{ orgId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CredentialReportPage({ params, searchParams }: Props) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId, "keys.manage_all");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited URL with a bad value shows the default report rather than an error page.
  const parsed = credentialReportFiltersSchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : credentialReportFiltersSchema.parse({});
  const db = getDb();
  const [report, projects] = await Promise.all([getCredentialReport(db, ctx, filters), listProjects(db, ctx)]);
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  const cells = credentialReportCells(report);
  const counts = FINDINGS.map((f) => ({ f, n: report.rows.filter((r) => r.findings.includes(f)).length }));
  return (
    <div className="space-y-6">
      <PageHeader title="Credential report"
        description={`Every key of the organization with its age, use and policy findings: never used ${NEVER_USED_AFTER_DAYS} days after creation, unused for ${filters.unusedDays} days, expiring within 7 days, rotation due under the key policy. Generated ${reportTime(report.generatedAt)}.`}
        actions={<a href={`/orgs/${orgId}/credential-report/export?${query}`} className={buttonClasses({ variant: "secondary", size: "sm" })} download><Download className="size-4" aria-hidden="true" />Download CSV</a>} />
      <ReportFilters filters={filters} projects={projects.map((p) => ({ id: p.id, name: p.name }))} findingLabels={FINDING_LABELS} />
      <p className="text-sm text-gray-600" data-testid="report-summary">
        {report.rows.length} key{report.rows.length === 1 ? "" : "s"}
        {counts.map(({ f, n }) => (n ? <span key={f}> · {n} {FINDING_LABELS[f].toLowerCase()}</span> : null))}
        {report.truncated && <span className="text-amber-700"> · only the newest {REPORT_MAX_ROWS} keys are shown: narrow the filters</span>}
      </p>
      {report.rows.length === 0 ? (
        <p className="text-sm text-gray-500">No key matches these filters. <Link href={`/orgs/${orgId}/credential-report`} className="text-blue-700 hover:underline">Show the default report</Link>.</p>
      ) : (
        <ReportTable
          headers={REPORT_COLUMNS.map((c) => c.header)}
          rows={report.rows.map((r, i) => ({ keyId: r.keyId, href: `/orgs/${orgId}/keys/${r.keyId}`, live: r.status === "Active" || r.status === "Disabled", cells: cells[i], findings: r.findings.length }))}
          action={bulkKeyAction.bind(null, orgId)}
        />
      )}
    </div>
  );
}
