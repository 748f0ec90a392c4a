import type { Tx } from "../db";
import { type EventListRow, type EventPage, type EventScope, eventSubject, listEvents, loadKeyNames } from "./query";
import type { EventFilters } from "./query-filters";
import { describeEvent } from "./registry";

const COLUMNS: [string, (e: EventListRow, keyNames: Map<string, string>) => unknown][] = [
  ["id", (e) => e.id],
  ["at", (e) => e.at.toISOString()],
  ["type", (e) => e.type],
  ["outcome", (e) => e.outcome],
  ["description", (e, names) => describeEvent(e, eventSubject(e, names))],
  ["org_id", (e) => e.orgId],
  ["project_id", (e) => e.projectId],
  ["key_id", (e) => e.keyId],
  ["key_name", (e, names) => (e.keyId ? names.get(e.keyId) : null)],
  ["access_key_id", (e) => e.accessKeyId],
  ["actor_id", (e) => e.actorId],
  ["actor_name", (e) => e.actorName],
  ["actor_email", (e) => e.actorEmail],
  ["ip", (e) => e.ip],
  ["user_agent", (e) => e.userAgent],
  ["operation", (e) => e.operation],
  ["bucket", (e) => e.bucket],
  ["object_key", (e) => e.objectKey],
  ["status", (e) => e.status],
  ["error_code", (e) => e.errorCode],
  ["bytes_in", (e) => e.bytesIn],
  ["bytes_out", (e) => e.bytesOut],
  ["duration_ms", (e) => e.durationMs],
  ["request_id", (e) => e.requestId],
  // S3 requests during a rotation overlap window: "current" or "previous" secret.
  ["signed_with", (e) => e.signedWith],
  ["data", (e) => (e.data == null ? null : JSON.stringify(e.data))],
];

export const CSV_HEADER = COLUMNS.map(([name]) => name);

/**
 * One CSV cell (RFC 4180). Object keys, user agents and names come from S3 clients and users:
 * a cell starting with = + - @ (or tab / CR) would run as a formula when the file is opened in
 * a spreadsheet, so it gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

/**
 * The filtered events as CSV, newest first: the header line, then one chunk of lines per
 * keyset batch. Memory stays at about two batches whatever the size of the export (the next
 * batch is fetched while the current one is formatted and sent), and each batch is its own
 * short query: no long transaction, no cursor held open while a slow client reads.
 * Page cursors in `filters` are ignored: an export is the whole filtered set.
 */
export async function* eventsCsv(db: Tx, scope: EventScope, filters: EventFilters, opts: { batchSize?: number } = {}): AsyncGenerator<string> {
  type Batch = { page: EventPage; keyNames: Map<string, string> };
  const fetchBatch = async (before: bigint | undefined): Promise<Batch> => {
    const page = await listEvents(db, scope, { ...filters, after: undefined, before }, opts.batchSize ?? 5000);
    return { page, keyNames: await loadKeyNames(db, page.events) };
  };
  yield csvLine(CSV_HEADER);
  let pending: Promise<Batch> | null = fetchBatch(undefined);
  while (pending) {
    const { page, keyNames }: Batch = await pending;
    pending = page.next ? fetchBatch(BigInt(page.next)) : null;
    // A rejected prefetch must not go unhandled if the consumer stops before awaiting it.
    pending?.catch(() => {});
    let chunk = "";
    for (const e of page.events) chunk += csvLine(COLUMNS.map(([, get]) => get(e, keyNames)));
    if (chunk) yield chunk;
  }
}

/** A file name for an export, e.g. keygate-events-ci-pipeline-2026-03-04.csv. */
export function csvFileName(label: string, now = new Date()): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "events";
  return `keygate-events-${safe}-${now.toISOString().slice(0, 10)}.csv`;
}
