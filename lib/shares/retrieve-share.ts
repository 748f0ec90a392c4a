import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import { writeEvent } from "../events/write-event";
import { unsealKeySecret } from "../keys/keyring";
import { keyStatus } from "../keys/status";
import { hashToken } from "../tokens";
import { findShareByToken } from "./get-share";
import { consumeShareAttempt } from "./rate-limit";
import { shareState, shareStateError } from "./share-state";

export const retrieveShareSchema = z.object({
  token: z.string().min(1).max(200),
  email: z.string("Enter the email address this link was sent to.").trim().toLowerCase()
    .pipe(z.email("Enter the email address this link was sent to.").max(254)),
});
export type RetrieveShareInput = z.input<typeof retrieveShareSchema>;

/** Where the request came from: recorded on the link and in key.share_retrieved. */
export type RequestMeta = { ip: string | null; userAgent: string | null };

/** The revealed credentials, shaped like the creation dialog's view (plus the project). */
export type RetrievedKey = { name: string; accessKeyId: string; secret: string; regionId: string; endpoint: string; projectName: string };

const wrongAddress = () => {
  const message = "That is not the address this link was sent to.";
  return new AppError(403, "wrong_email", message, { email: [message] });
};

/**
 * Reveals a shared key's secret, once. Every attempt first counts against the per-IP and
 * per-link limits; then the link must be known, pending, unexpired and its key active, and
 * the confirmed address must be the one it was sent to. Only then, in one transaction, the
 * link is claimed, the retrieval recorded and the secret unsealed: if anything fails, the
 * link stays unused.
 */
export async function retrieveShare(db: Db, input: RetrieveShareInput, meta: RequestMeta): Promise<RetrievedKey> {
  const data = retrieveShareSchema.parse(input);
  const ip = meta.ip?.slice(0, 64) ?? null;
  await consumeShareAttempt(db, { ip, tokenHash: hashToken(data.token) });
  const row = await findShareByToken(db, data.token);
  const state = shareState(row);
  if (state !== "ready" || !row) throw shareStateError(state === "ready" ? "unknown" : state);
  if (row.recipientEmail.toLowerCase() !== data.email) throw wrongAddress();

  return db.$transaction(async (tx) => {
    const now = new Date();
    // The single-use guarantee. Concurrent reveals queue on the row lock; after the winner
    // commits, PostgreSQL re-checks the WHERE for the others, which then match nothing.
    const claimed = await tx.shareLink.updateMany({
      where: { id: row.id, usedAt: null, cancelledAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedIp: ip },
    });
    if (claimed.count !== 1) {
      const lost = shareState(await tx.shareLink.findUnique({ where: { id: row.id }, include: { key: true } }), now);
      throw shareStateError(lost === "ready" ? "used" : lost);
    }
    const key = await tx.accessKey.findUniqueOrThrow({ where: { id: row.keyId } });
    const status = keyStatus(key, now);
    if (status !== "Active") throw shareStateError(status === "Revoked" ? "key_revoked" : status === "Disabled" ? "key_disabled" : "key_expired");
    const region = await tx.region.findUniqueOrThrow({ where: { id: key.regionId }, select: { endpoint: true } });
    const project = await tx.project.findUniqueOrThrow({ where: { id: key.projectId }, select: { name: true } });
    await writeEvent(tx, {
      type: "key.share_retrieved", orgId: key.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId,
      actor: null, ip, userAgent: meta.userAgent?.slice(0, 512) ?? null,
      data: { shareId: row.id, recipientEmail: row.recipientEmail },
    });
    // Unsealed last, inside the transaction: if it fails, the claim rolls back.
    const secret = unsealKeySecret(key);
    return { name: key.name, accessKeyId: key.accessKeyId, secret, regionId: key.regionId, endpoint: region.endpoint, projectName: project.name };
  });
}
