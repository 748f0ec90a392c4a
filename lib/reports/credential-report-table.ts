// The credential report as text cells: the console page renders exactly these cells and the
// CSV download writes them, so the file always matches what the admin saw.
import { plainIp } from "../events/registry";
import { csvLine } from "../events/csv";
import { type CredentialReport, type CredentialReportRow, FINDING_LABELS, REQUEST_WINDOW_DAYS } from "./credential-report";

const KIND_LABELS = { MASTER: "Master", SUB: "Sub", USER: "Region key pair" } as const;

/** "2026-11-30 15:04 UTC": minutes are enough for a report, and the zone is explicit. */
export const reportTime = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "");

export const REPORT_COLUMNS: { id: string; header: string; cell: (r: CredentialReportRow) => string }[] = [
  { id: "key", header: "Key", cell: (r) => r.name },
  { id: "access_key_id", header: "Access key id", cell: (r) => r.accessKeyId },
  { id: "kind", header: "Kind", cell: (r) => `${KIND_LABELS[r.kind]}${r.imported ? " (imported)" : ""}` },
  { id: "status", header: "Status", cell: (r) => r.status },
  { id: "project", header: "Project", cell: (r) => r.projectName },
  { id: "owner", header: "Owner", cell: (r) => r.ownerEmail },
  { id: "created", header: "Created", cell: (r) => reportTime(r.createdAt) },
  { id: "age_days", header: "Age (days)", cell: (r) => String(r.ageDays) },
  { id: "last_rotated", header: "Last rotated", cell: (r) => reportTime(r.rotatedAt) },
  { id: "last_used", header: "Last used", cell: (r) => reportTime(r.lastUsedAt) },
  { id: "last_used_ip", header: "Last used from", cell: (r) => plainIp(r.lastUsedIp) ?? "" },
  { id: "last_used_operation", header: "Last operation", cell: (r) => r.lastUsedOp ?? "" },
  { id: "allowed_requests_30d", header: `Allowed requests (${REQUEST_WINDOW_DAYS} days)`, cell: (r) => String(r.allowedRequests30d) },
  { id: "expires", header: "Expires", cell: (r) => reportTime(r.expiresAt) },
  { id: "expires_in_days", header: "Expires in (days)", cell: (r) => (r.expiresInDays === null ? "" : String(r.expiresInDays)) },
  { id: "findings", header: "Findings", cell: (r) => r.findings.map((f) => FINDING_LABELS[f]).join("; ") },
];

export function credentialReportCells(report: CredentialReport): string[][] {
  return report.rows.map((r) => REPORT_COLUMNS.map((c) => c.cell(r)));
}

/** The CSV download: a header of the page's column titles, then the page's cells, row for row. */
export function credentialReportCsv(report: CredentialReport): string {
  return csvLine(REPORT_COLUMNS.map((c) => c.header)) + credentialReportCells(report).map(csvLine).join("");
}

export function credentialReportFileName(now: Date): string {
  return `keygate-credential-report-${now.toISOString().slice(0, 10)}.csv`;
}
