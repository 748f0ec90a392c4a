import type { z } from "zod";
import type { Db } from "../db";
import { createShare, type ShareDeps, shareDepsFromEnv } from "../shares/create-share";
import type { ApiCaller } from "./authenticate";
import type { shareSchema, shareSubKeyRequest } from "./schemas";
import { getApiSubKeyOrThrow } from "./sub-keys";

/** Emails a one-time retrieval link for a sub key of the caller's project (the link never comes back). */
export async function shareApiSubKey(
  db: Db, caller: ApiCaller, keyId: string, body: z.output<typeof shareSubKeyRequest>, deps: ShareDeps = shareDepsFromEnv(),
): Promise<z.input<typeof shareSchema>> {
  await getApiSubKeyOrThrow(db, caller, keyId);
  const share = await createShare(db, caller, { keyId, recipientEmail: body.recipientEmail, message: body.message, ttlHours: body.ttlHours }, deps);
  return { id: share.id, keyId: share.keyId, recipientEmail: share.recipientEmail, expiresAt: share.expiresAt.toISOString() };
}
