import { z } from "zod";
import { badRequest, fieldErrorsFromZod } from "../errors";
import { EVENT_TYPES } from "./types";

/** An empty form field (`?type=`) means "no filter", not an invalid value. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, schema.optional());

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * A date or date-time from a filter field, read as UTC. `end` makes a bare date inclusive:
 * to=2026-03-04 means "until the end of March 4" (i.e. before March 5, 00:00 UTC).
 */
const instant = (end: boolean) =>
  z.string().max(40).transform((s, ctx) => {
    const plain = DATE_ONLY.test(s);
    const ms = Date.parse(plain ? `${s}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "Enter a date as YYYY-MM-DD." });
      return z.NEVER;
    }
    return new Date(plain && end ? ms + DAY_MS : ms);
  });

/** Event ids are bigint; cursors travel as their decimal string. */
const eventId = z.string().regex(/^\d{1,19}$/, "Invalid page cursor.").transform((s) => BigInt(s));

export const OUTCOMES = ["allowed", "denied"] as const;

/** The filters of every event view, as they appear in the URL (the filter form is a GET form). */
export const eventFiltersSchema = z
  .object({
    type: optional(z.enum(EVENT_TYPES, { message: "Unknown event type." })),
    outcome: optional(z.enum(OUTCOMES, { message: "Choose allowed or denied." })),
    bucket: optional(z.string().trim().max(63)),
    /** A key's id or its public access key id. */
    keyId: optional(z.string().trim().max(128)),
    /** A user id or an email address (case-insensitive). */
    actor: optional(z.string().trim().max(320)),
    /** Instance-wide view only: one organization. */
    orgId: optional(z.string().trim().max(128)),
    from: optional(instant(false)),
    to: optional(instant(true)),
    /** Keyset cursors: older than / newer than this event id. */
    before: optional(eventId),
    after: optional(eventId),
  })
  .refine((f) => !(f.from && f.to) || f.from < f.to, { message: "The end date must be after the start date.", path: ["to"] });

export type EventFilters = z.output<typeof eventFiltersSchema>;

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

const toRecord = (params: SearchParams): Record<string, unknown> =>
  params instanceof URLSearchParams ? Object.fromEntries(params) : params;

/** For pages: either the filters or the field errors to show next to the form. */
export function safeParseEventFilters(params: SearchParams) {
  const result = eventFiltersSchema.safeParse(toRecord(params));
  return result.success
    ? ({ ok: true, filters: result.data } as const)
    : ({ ok: false, filters: {} as EventFilters, fieldErrors: fieldErrorsFromZod(result.error) } as const);
}

/** For route handlers: invalid filters are a 400 naming the fields. */
export function parseEventFilters(params: SearchParams): EventFilters {
  const result = safeParseEventFilters(params);
  if (!result.ok) throw badRequest("Invalid event filters.", result.fieldErrors);
  return result.filters;
}

/** The filters as URL parameters (raw form values), without the page cursors unless asked. */
export function filtersToSearchParams(params: SearchParams, opts: { keep?: ("before" | "after")[]; set?: Record<string, string> } = {}): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(toRecord(params))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value !== "string" || !value) continue;
    if ((k === "before" || k === "after") && !opts.keep?.includes(k)) continue;
    if (k in eventFiltersSchema.shape) out.set(k, value);
  }
  for (const [k, v] of Object.entries(opts.set ?? {})) out.set(k, v);
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** Links of the Previous / Next buttons of a page of events, keeping the filters. */
export function pageLinks(base: string, params: SearchParams, page: { next: string | null; prev: string | null }, extra: Record<string, string> = {}) {
  return {
    nextHref: page.next ? base + filtersToSearchParams(params, { set: { ...extra, before: page.next } }) : null,
    prevHref: page.prev ? base + filtersToSearchParams(params, { set: { ...extra, after: page.prev } }) : null,
  };
}

/** True when any filter (not a page cursor) is set. */
export const hasFilters = (f: EventFilters) => Object.entries(f).some(([k, v]) => k !== "before" && k !== "after" && v !== undefined);
