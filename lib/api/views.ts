// Database rows → API response objects. Each view names its fields explicitly (an allowlist),
// and the route wrapper parses the result with the response schema again, so a column such as
// sealedSecret can never reach a client by accident.
import type { Tx } from "../db";
import type { EventListRow } from "../events/query";
import { describeEvent } from "../events/registry";
import type { KeyPermission } from "../keys/permissions";
import { keyStatus } from "../keys/status";
import type { EventView, SubKeyView } from "./schemas";

type SubKeyRow = {
  id: string; name: string; projectId: string; regionId: string; accessKeyId: string; secretLast4: string; permissions: string[];
  allBuckets: boolean; prefix: string | null; allowedCidrs: string[]; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null;
  rotatedAt: Date | null; lastUsedAt: Date | null; buckets: { bucketId: string }[]; description: string | null; disabledAt: Date | null;
  previousSecretLast4: string | null; previousSecretUntil: Date | null;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toSubKeyView(k: SubKeyRow): SubKeyView {
  return {
    id: k.id, kind: "SUB", name: k.name, projectId: k.projectId, regionId: k.regionId, accessKeyId: k.accessKeyId, secretLast4: k.secretLast4,
    status: keyStatus(k), description: k.description, permissions: k.permissions as KeyPermission[], bucketScope: k.allBuckets ? "all" : "selected",
    bucketIds: k.buckets.map((b) => b.bucketId).sort(), prefix: k.prefix, allowedCidrs: k.allowedCidrs,
    createdAt: k.createdAt.toISOString(), expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt), rotatedAt: iso(k.rotatedAt), lastUsedAt: iso(k.lastUsedAt),
    disabledAt: iso(k.disabledAt), ...previousSecretView(k),
  };
}

/** The overlap window as shown: only while it is open (an ended one awaits clean-up). */
function previousSecretView(k: SubKeyRow, now = new Date()) {
  const open = k.previousSecretUntil !== null && k.previousSecretUntil > now;
  return { previousSecretLast4: open ? k.previousSecretLast4 : null, previousSecretValidUntil: open ? iso(k.previousSecretUntil) : null };
}

const SUB_KEY_SELECT = {
  id: true, name: true, projectId: true, regionId: true, accessKeyId: true, secretLast4: true, permissions: true, allBuckets: true, prefix: true,
  allowedCidrs: true, createdAt: true, expiresAt: true, revokedAt: true, rotatedAt: true, lastUsedAt: true, buckets: { select: { bucketId: true } },
  description: true, disabledAt: true, previousSecretLast4: true, previousSecretUntil: true,
} as const;

/** Views of the given keys, in the order of `ids`. Callers have already checked access. */
export async function loadSubKeyViews(db: Tx, ids: string[]): Promise<SubKeyView[]> {
  const rows = await db.accessKey.findMany({ where: { id: { in: ids }, kind: "SUB" }, select: SUB_KEY_SELECT });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toSubKeyView(byId.get(id)!)] : []));
}

const num = (n: bigint | number | null) => (n === null ? null : Number(n));

export function toEventView(e: EventListRow, subject: string): EventView {
  const data = e.data && typeof e.data === "object" && !Array.isArray(e.data) ? (e.data as Record<string, unknown>) : null;
  return {
    id: String(e.id), at: e.at.toISOString(), type: e.type, description: describeEvent(e, subject), actorName: e.actorName, actorEmail: e.actorEmail,
    ip: e.ip, operation: e.operation, bucket: e.bucket, objectKey: e.objectKey, status: e.status, errorCode: e.errorCode,
    bytesIn: num(e.bytesIn), bytesOut: num(e.bytesOut), signedWith: e.signedWith === "current" || e.signedWith === "previous" ? e.signedWith : null, data,
  };
}
