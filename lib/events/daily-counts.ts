import type { Tx } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { EventScope } from "./query";

export type DailyCount = { day: string; allowed: number; denied: number };

const DAY_MS = 86_400_000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

function scopeCondition(scope: EventScope): Prisma.Sql {
  switch (scope.kind) {
    case "key":
      return Prisma.sql`"keyId" = ${scope.keyId} AND "orgId" = ${scope.orgId}`;
    case "instance":
      return Prisma.sql`TRUE`;
    case "org": {
      const project = scope.projectId ? Prisma.sql` AND "projectId" = ${scope.projectId}` : Prisma.empty;
      const keys = scope.keyIds ? Prisma.sql` AND "keyId" = ANY(${scope.keyIds}::text[])` : Prisma.empty;
      return Prisma.sql`"orgId" = ${scope.orgId}${project}${keys}`;
    }
  }
}

/**
 * S3 requests per UTC day, allowed vs denied, for the last `days` days including today: one
 * GROUP BY over the window, then days without requests filled with zeros so a chart always
 * has `days` bars.
 */
export async function dailyRequestCounts(db: Tx, scope: EventScope, opts: { days?: number; now?: Date } = {}): Promise<DailyCount[]> {
  const days = Math.min(Math.max(opts.days ?? 30, 1), 366);
  const now = opts.now ?? new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
  // "at" is a UTC timestamp without time zone, so date_trunc gives UTC days.
  const rows = await db.$queryRaw<{ day: Date; allowed: bigint; denied: bigint }[]>`
    SELECT date_trunc('day', "at") AS day,
           count(*) FILTER (WHERE "outcome" = 'allowed') AS allowed,
           count(*) FILTER (WHERE "outcome" = 'denied') AS denied
    FROM "Event"
    WHERE ${scopeCondition(scope)} AND "type" = 'key.request' AND "at" >= ${start}
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [utcDay(r.day), r]));
  return Array.from({ length: days }, (_, i) => {
    const day = utcDay(new Date(start.getTime() + i * DAY_MS));
    const r = byDay.get(day);
    return { day, allowed: Number(r?.allowed ?? 0), denied: Number(r?.denied ?? 0) };
  });
}
