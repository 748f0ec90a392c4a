// Object Lock XML: ObjectLockConfiguration, Retention and LegalHold, read (fast-xml-parser, through
// xml-parse.ts's guarded parseRoot) and written (xml.ts's builders). Invalid documents: MalformedXML.
import type { DefaultRetention, ObjectLockConfig, ObjectRetention, RetentionMode } from "../lib/storage/types";
import { invalidArgument, malformedXml } from "./errors";
import { el, node, xmlDocument } from "./xml";
import { asNode, parseRoot, text } from "./xml-parse";

export const MAX_LOCK_XML_BYTES = 64 * 1024;

const MODES: readonly string[] = ["GOVERNANCE", "COMPLIANCE"];
const mode = (value: string | undefined): RetentionMode => {
  if (value === undefined || !MODES.includes(value)) throw malformedXml();
  return value as RetentionMode;
};

/** Longest default retention S3 accepts: 36,500 days or 100 years (longer ones would also overflow dates). */
export const MAX_RETENTION = { days: 36_500, years: 100 } as const;

/** A positive whole number of days or years up to MAX_RETENTION (S3 refuses 0 and negatives too). */
function period(value: string | undefined, unit: "days" | "years"): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) {
    throw invalidArgument("Default retention period must be a positive integer value.", "Days/Years", v);
  }
  if (Number(v) > MAX_RETENTION[unit]) {
    throw invalidArgument(`Default retention period cannot exceed ${MAX_RETENTION.days} days or ${MAX_RETENTION.years} years.`, "Days/Years", v);
  }
  return Number(v);
}

export function parseObjectLockConfiguration(xml: string): ObjectLockConfig {
  const root = asNode(parseRoot(xml, "ObjectLockConfiguration"));
  if (text(root.ObjectLockEnabled)?.trim() !== "Enabled") throw malformedXml();
  if (root.Rule === undefined) return { enabled: true };
  const def = asNode(asNode(root.Rule).DefaultRetention);
  const days = period(text(def.Days), "days");
  const years = period(text(def.Years), "years");
  if ((days === undefined) === (years === undefined)) throw malformedXml(); // exactly one of them
  const defaultRetention: DefaultRetention = { mode: mode(text(def.Mode)?.trim()), ...(days ? { days } : { years }) };
  return { enabled: true, defaultRetention };
}

export const renderObjectLockConfiguration = (c: ObjectLockConfig) => {
  const d = c.defaultRetention;
  return xmlDocument(
    "ObjectLockConfiguration",
    el("ObjectLockEnabled", "Enabled") +
      (d ? node("Rule", node("DefaultRetention", el("Mode", d.mode) + el("Days", d.days) + el("Years", d.years))) : ""),
  );
};

/** A retain-until date as S3 accepts it (ISO 8601 with a time zone); InvalidArgument otherwise. */
export function parseRetainUntil(value: string, name: string): Date {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):\d{2})$/.exec(v);
  const date = m ? new Date(v) : new Date(NaN);
  // JavaScript rolls impossible fields over (02-30 → 03-02, 24:00 → next day): refuse them instead.
  const [y, mo, d, h, mi, s] = (m ?? []).slice(1, 7).map(Number);
  const fields = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const exact = !!m && fields.getUTCFullYear() === y && fields.getUTCMonth() === mo - 1 && fields.getUTCDate() === d &&
    fields.getUTCHours() === h && fields.getUTCMinutes() === mi && fields.getUTCSeconds() === s && Number(m[9] ?? 0) <= 14;
  if (!exact || Number.isNaN(date.getTime())) throw invalidArgument("The retain until date is not a valid ISO 8601 timestamp.", name, v);
  return date;
}

/** `null` = an empty Retention document: remove the retention (GOVERNANCE with bypass only). */
export function parseRetention(xml: string): ObjectRetention | null {
  const root = asNode(parseRoot(xml, "Retention"));
  const m = text(root.Mode)?.trim();
  const until = text(root.RetainUntilDate);
  if (m === undefined && until === undefined) return null;
  if (m === undefined || until === undefined) throw malformedXml();
  return { mode: mode(m), retainUntil: parseRetainUntil(until, "RetainUntilDate") };
}

export const renderRetention = (r: ObjectRetention) =>
  xmlDocument("Retention", el("Mode", r.mode) + el("RetainUntilDate", r.retainUntil.toISOString()));

export function parseLegalHold(xml: string): boolean {
  const status = text(asNode(parseRoot(xml, "LegalHold")).Status)?.trim();
  if (status !== "ON" && status !== "OFF") throw malformedXml();
  return status === "ON";
}

export const renderLegalHold = (on: boolean) => xmlDocument("LegalHold", el("Status", on ? "ON" : "OFF"));
