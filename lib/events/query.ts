import type { Tx } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { EventFilters } from "./query-filters";

/**
 * Which events a view may read. Resolve it from the caller's role with lib/events/scope.ts;
 * every query below is confined to it in SQL, so a forgotten check cannot widen a view.
 * `keyIds` (MEMBER_PLUS) restricts an organization or project view to the keys they manage.
 */
export type EventScope =
  | { kind: "instance" }
  | { kind: "org"; orgId: string; projectId?: string; keyIds?: string[] }
  | { kind: "key"; orgId: string; keyId: string };

export type EventListRow = {
  id: bigint; at: Date; type: string; orgId: string; projectId: string | null; keyId: string | null; accessKeyId: string | null;
  actorId: string | null; actorName: string | null; actorEmail: string | null; ip: string | null; userAgent: string | null;
  outcome: string | null; operation: string | null; bucket: string | null; objectKey: string | null; status: number | null;
  errorCode: string | null; bytesIn: bigint | null; bytesOut: bigint | null; durationMs: number | null; requestId: string | null; data: unknown;
  signedWith: string | null;
};

export type EventPage = {
  events: EventListRow[];
  /** Cursor for older events (`?before=`), or null on the last page. */
  next: string | null;
  /** Cursor for newer events (`?after=`), or null on the newest page. */
  prev: string | null;
};

export const EVENT_PAGE_SIZE = 50;
export const MAX_EVENT_BATCH = 5000;

const COLUMNS = Prisma.raw(
  ["id", "at", "type", "orgId", "projectId", "keyId", "accessKeyId", "actorId", "actorName", "actorEmail", "ip", "userAgent", "outcome",
    "operation", "bucket", "objectKey", "status", "errorCode", "bytesIn", "bytesOut", "durationMs", "requestId", "data", "signedWith"]
    .map((c) => `"${c}"`).join(", "),
);

/**
 * The key filter accepts a key id or a public access key id; resolve it to a key id once so
 * the query can use the (keyId, id) index. Unknown values are kept as a key id: events of
 * deleted keys still carry it.
 */
async function resolveKeyFilter(db: Tx, scope: EventScope, value: string): Promise<string> {
  const where = scope.kind === "instance" ? {} : { orgId: scope.orgId };
  const key = await db.accessKey.findFirst({ where: { ...where, OR: [{ id: value }, { accessKeyId: value }] }, select: { id: true } });
  return key?.id ?? value;
}

function scopeConditions(scope: EventScope): Prisma.Sql[] {
  if (scope.kind === "key") return [Prisma.sql`"keyId" = ${scope.keyId}`, Prisma.sql`"orgId" = ${scope.orgId}`];
  if (scope.kind === "instance") return [];
  const conds = [Prisma.sql`"orgId" = ${scope.orgId}`];
  if (scope.projectId) conds.push(Prisma.sql`"projectId" = ${scope.projectId}`);
  return conds;
}

function filterConditions(scope: EventScope, f: EventFilters, keyId: string | undefined): Prisma.Sql[] {
  const conds: Prisma.Sql[] = [];
  if (f.type) conds.push(Prisma.sql`"type" = ${f.type}`);
  if (f.outcome) conds.push(Prisma.sql`"outcome" = ${f.outcome}`);
  if (f.bucket) {
    // Data-plane events carry the bucket in a column; bucket.created/deleted in their data.
    conds.push(Prisma.sql`("bucket" = ${f.bucket} OR ("type" IN ('bucket.created', 'bucket.deleted') AND "data"->>'name' = ${f.bucket}))`);
  }
  if (keyId && scope.kind !== "key") conds.push(Prisma.sql`"keyId" = ${keyId}`);
  if (f.actor) conds.push(Prisma.sql`("actorId" = ${f.actor} OR lower("actorEmail") = lower(${f.actor}))`);
  if (f.orgId && scope.kind === "instance") conds.push(Prisma.sql`"orgId" = ${f.orgId}`);
  if (f.from) conds.push(Prisma.sql`"at" >= ${f.from}`);
  if (f.to) conds.push(Prisma.sql`"at" < ${f.to}`);
  if (f.before !== undefined) conds.push(Prisma.sql`"id" < ${f.before}`);
  else if (f.after !== undefined) conds.push(Prisma.sql`"id" > ${f.after}`);
  return conds;
}

const where = (conds: Prisma.Sql[]) => (conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty);

/**
 * One page of events, newest first, keyset-paginated on the event id: `before` pages to older
 * events, `after` to newer ones. Ids only grow, so events inserted while someone pages never
 * shift a page (offset pagination would), and a deep page costs what the first one does.
 */
export async function listEvents(db: Tx, scope: EventScope, filters: EventFilters, limit = EVENT_PAGE_SIZE): Promise<EventPage> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), MAX_EVENT_BATCH);
  const keyId = filters.keyId ? await resolveKeyFilter(db, scope, filters.keyId) : undefined;
  let keyIds = scope.kind === "org" ? scope.keyIds : undefined;
  if (keyIds && keyId) keyIds = keyIds.includes(keyId) ? [keyId] : [];
  if (keyIds?.length === 0) return { events: [], next: null, prev: null };

  const ascending = filters.before === undefined && filters.after !== undefined;
  const order = ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const conds = [...scopeConditions(scope), ...filterConditions(scope, filters, keyIds ? undefined : keyId)];
  const rows = keyIds
    // A short list of keys: walk each key's (keyId, id) index for at most one page and merge,
    // instead of scanning the whole organization's events for the few that match.
    ? await db.$queryRaw<EventListRow[]>`
        SELECT e.* FROM unnest(${keyIds}::text[]) AS k("keyId")
        CROSS JOIN LATERAL (
          SELECT ${COLUMNS} FROM "Event" ${where([Prisma.sql`"keyId" = k."keyId"`, ...conds])} ORDER BY "id" ${order} LIMIT ${take + 1}
        ) e
        ORDER BY e."id" ${order} LIMIT ${take + 1}`
    : await db.$queryRaw<EventListRow[]>`SELECT ${COLUMNS} FROM "Event" ${where(conds)} ORDER BY "id" ${order} LIMIT ${take + 1}`;

  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (ascending) page.reverse();
  const first = page[0]?.id;
  const last = page[page.length - 1]?.id;
  return {
    events: page,
    // Going forward from an `after` page, the event at the cursor itself is still older.
    next: last !== undefined && (ascending || more) ? String(last) : null,
    prev: first !== undefined && (ascending ? more : filters.before !== undefined) ? String(first) : null,
  };
}

/** Names of the keys a page of events mentions (one query), for the sentences. */
export async function loadKeyNames(db: Tx, events: { keyId: string | null }[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.map((e) => e.keyId).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map();
  const keys = await db.accessKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(keys.map((k) => [k.id, k.name]));
}

/** What a key-related event calls its key: its name, else its access key id (deleted keys). */
export function eventSubject(e: { keyId: string | null; accessKeyId: string | null }, keyNames: Map<string, string>): string {
  return (e.keyId && keyNames.get(e.keyId)) || e.accessKeyId || "a key";
}

/** Names of the organizations a page of events belongs to (operator area). */
export async function loadOrgNames(db: Tx, events: { orgId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.map((e) => e.orgId))];
  if (ids.length === 0) return new Map();
  const orgs = await db.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(orgs.map((o) => [o.id, o.name]));
}
