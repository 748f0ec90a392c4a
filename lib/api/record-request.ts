import type { Tx } from "../db";
import type { ApiCaller } from "./authenticate";

export type ApiRequestRecord = {
  operation: string; method: string; path: string; status: number; errorCode: string | null; requestId: string; durationMs: number;
};

/**
 * Records one management API call as an `api.request` event of the master key that made it.
 * Written after the call (its own statement, not the mutation's transaction): the mutation
 * already wrote its key.* event atomically, and a failed call must be recorded too.
 */
export async function recordApiRequest(db: Tx, caller: ApiCaller, r: ApiRequestRecord): Promise<void> {
  await db.event.create({
    data: {
      type: "api.request", orgId: caller.orgId, projectId: caller.projectId, keyId: caller.masterKeyId, accessKeyId: caller.accessKeyId,
      actorId: caller.actor.userId, actorName: caller.actor.name, actorEmail: caller.actor.email, ip: caller.actor.ip ?? null,
      userAgent: caller.actor.userAgent ?? null, outcome: r.status === 401 || r.status === 403 ? "denied" : "allowed",
      operation: r.operation, status: r.status, errorCode: r.errorCode, requestId: r.requestId, durationMs: r.durationMs,
      data: { method: r.method, path: r.path },
    },
  });
}
