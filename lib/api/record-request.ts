import type { Tx } from "../db";
import type { ApiCaller } from "./authenticate";
import type { OrgTokenCaller } from "./authenticate-org-token";

export type ApiRequestRecord = {
  operation: string; method: string; path: string; status: number; errorCode: string | null; requestId: string; durationMs: number;
};

/**
 * Records one management API call: an `api.request` event of the master key that made it, or an
 * `api_token.request` event of the organization API token. Written after the call (its own
 * statement, not the mutation's transaction): the mutation already wrote its own event
 * atomically, and a failed call must be recorded too.
 */
export async function recordApiRequest(db: Tx, caller: ApiCaller | OrgTokenCaller, r: ApiRequestRecord): Promise<void> {
  const who = "tokenId" in caller
    ? { type: "api_token.request", projectId: null, keyId: null, accessKeyId: null, data: { method: r.method, path: r.path, tokenId: caller.tokenId, tokenName: caller.tokenName } }
    : { type: "api.request", projectId: caller.projectId, keyId: caller.masterKeyId, accessKeyId: caller.accessKeyId, data: { method: r.method, path: r.path } };
  await db.event.create({
    data: {
      ...who, orgId: caller.orgId,
      actorId: caller.actor.userId, actorName: caller.actor.name, actorEmail: caller.actor.email, ip: caller.actor.ip ?? null,
      userAgent: caller.actor.userAgent ?? null, outcome: r.status === 401 || r.status === 403 ? "denied" : "allowed",
      operation: r.operation, status: r.status, errorCode: r.errorCode, requestId: r.requestId, durationMs: r.durationMs,
    },
  });
}
