import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { AppError } from "../errors";
import { consumeOrgEmail } from "../email/limits";
import { sendKeyShareEmail } from "../email/send";
import type { EmailTransport } from "../email/transport";
import { getEnv } from "../env";
import { writeEvent } from "../events/write-event";
import { getManagedKeyOrThrow } from "../keys/manage-keys";
import { keyStatus } from "../keys/status";
import { checkShare } from "../policies/enforce-policy";
import { getKeyPolicy } from "../policies/key-policy";
import { getMailer } from "../mailer";
import { generateToken } from "../tokens";
import { SHARE_MESSAGE_MAX, SHARE_TTL_MAX_HOURS } from "./share-options";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const createShareSchema = z.object({
  keyId: z.string().min(1),
  // Trim and lower-case before checking the format, so " Ann@Example.com" is accepted and stored
  // in the form retrieval compares against.
  recipientEmail: z.string("Enter the recipient's email address.").trim().toLowerCase()
    .pipe(z.email("Enter a valid email address.").max(254, "Use at most 254 characters.")),
  message: z.preprocess(blankToUndefined, z.string().trim().max(SHARE_MESSAGE_MAX, `Use at most ${SHARE_MESSAGE_MAX} characters.`).optional())
    .transform((v) => v || undefined),
  ttlHours: z.preprocess(blankToUndefined, z.coerce.number("Choose how long the link works.").int("Use whole hours.")
    .min(1, "The link must work for at least 1 hour.").max(SHARE_TTL_MAX_HOURS, "The link can work for at most 30 days.").optional()),
});
export type CreateShareInput = z.input<typeof createShareSchema>;

/** Where the email goes out and what the link points at; injected so tests capture the email. */
export type ShareDeps = { transport: EmailTransport; publicUrl: string; defaultTtlHours: number };

export function shareDepsFromEnv(): ShareDeps {
  const env = getEnv();
  return { transport: getMailer(), publicUrl: env.publicUrl, defaultTtlHours: env.KEYGATE_SHARE_TTL_HOURS };
}

/** What the sharer gets back: never the token (it only travels in the email). */
export type CreatedShare = { id: string; keyId: string; recipientEmail: string; expiresAt: Date };

/**
 * Shares a sub key or region key pair by email. The email carries a one-time link, never the
 * key; only the link token's hash is stored. ADMIN may share any such key of the organization,
 * MEMBER_PLUS the keys they manage (getManagedKeyOrThrow), MEMBER nothing.
 */
export async function createShare(db: Db, ctx: OrgContext, input: CreateShareInput, deps: ShareDeps): Promise<CreatedShare> {
  requirePermission(ctx, "keys.use");
  const data = createShareSchema.parse(input);
  await consumeOrgEmail(db, ctx.orgId, "share");
  const { token, tokenHash } = generateToken();
  const created = await db.$transaction(async (tx) => {
    const key = await getManagedKeyOrThrow(tx, ctx, data.keyId, { lock: true });
    if (key.kind === "MASTER") throw new AppError(403, "not_shareable", "Master keys cannot be shared by email.");
    const status = keyStatus(key);
    if (status !== "Active") throw new AppError(409, "key_not_active", `This key is ${status.toLowerCase()}; it can no longer be shared.`);
    const project = await tx.project.findUniqueOrThrow({ where: { id: key.projectId }, select: { name: true } });
    const hours = checkShare(await getKeyPolicy(tx, ctx.orgId), data.ttlHours, deps.defaultTtlHours);
    const requested = new Date(Date.now() + hours * 3600_000);
    // A link that outlives its key would only lead to a "key expired" page: end it with the key.
    const expiresAt = key.expiresAt && key.expiresAt < requested ? key.expiresAt : requested;
    const share = await tx.shareLink.create({
      data: { keyId: key.id, tokenHash, recipientEmail: data.recipientEmail, message: data.message ?? null, createdById: ctx.actor.userId, expiresAt },
    });
    await writeEvent(tx, {
      type: "key.shared", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
      data: { shareId: share.id, recipientEmail: share.recipientEmail, expiresAt: expiresAt.toISOString() },
    });
    return { share, keyName: key.name, projectName: project.name };
  });
  const { share } = created;
  try {
    await sendKeyShareEmail(deps.transport, {
      to: share.recipientEmail,
      sharerName: ctx.actor.name || ctx.actor.email,
      keyName: created.keyName,
      project: created.projectName,
      message: share.message,
      retrievalUrl: `${deps.publicUrl.replace(/\/$/, "")}/share/${token}`,
      expiresAt: share.expiresAt,
    });
  } catch (err) {
    await withdrawUnsentShare(db, ctx, share.id);
    throw err;
  }
  return { id: share.id, keyId: share.keyId, recipientEmail: share.recipientEmail, expiresAt: share.expiresAt };
}

/** The email could not be sent: cancel the link so no pending share exists that nobody received. */
async function withdrawUnsentShare(db: Db, ctx: OrgContext, shareId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const share = await tx.shareLink.update({ where: { id: shareId }, data: { cancelledAt: new Date() }, include: { key: true } });
    await writeEvent(tx, {
      type: "key.share_cancelled", orgId: ctx.orgId, projectId: share.key.projectId, keyId: share.keyId, accessKeyId: share.key.accessKeyId,
      actor: ctx.actor, data: { shareId, recipientEmail: share.recipientEmail, reason: "email not sent" },
    });
  });
}
