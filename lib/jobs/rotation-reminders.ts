import type { Db } from "../db";
import { writeEvent } from "../events/write-event";
import { emailSender } from "./email-sender";
import type { ReminderDeps } from "./expiry-reminders";
import { keyPageUrl } from "../keys/key-page-url";

type ClaimedKey = {
  id: string; orgId: string; projectId: string; accessKeyId: string; name: string; ownerId: string; secretSince: Date; periodDays: number;
  previousSentAt: Date | null;
};

/**
 * Claims the keys due for a rotation reminder by stamping rotationReminderSentAt and returning
 * the rows the stamp changed. Due: the organization has a rotation period, the current secret
 * (rotatedAt, else createdAt) is older than it (what the console shows as "Rotation due"), and
 * no reminder went out within the last period, so an owner who does not rotate gets one
 * reminder per period, never one per run. Rotating resets the clock: the next reminder waits
 * for the new secret to age a full period. Only keys that work and can be rotated get one:
 * revoked, expired and disabled keys cannot be rotated. Concurrent runners get disjoint rows
 * (FOR UPDATE SKIP LOCKED, and the due check again after the lock).
 */
function claimDueKeys(db: Db, now: Date, limit: number): Promise<ClaimedKey[]> {
  return db.$queryRaw<ClaimedKey[]>`
    WITH due AS (
      SELECT k."id", k."rotationReminderSentAt" AS "previousSentAt" FROM "AccessKey" k JOIN "OrgKeyPolicy" p ON p."orgId" = k."orgId"
      WHERE p."rotationPeriodDays" IS NOT NULL
        AND k."revokedAt" IS NULL AND k."disabledAt" IS NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now})
        AND COALESCE(k."rotatedAt", k."createdAt") < ${now}::timestamp - make_interval(days => p."rotationPeriodDays")
        AND (k."rotationReminderSentAt" IS NULL OR k."rotationReminderSentAt" <= ${now}::timestamp - make_interval(days => p."rotationPeriodDays"))
      ORDER BY COALESCE(k."rotatedAt", k."createdAt") LIMIT ${limit}
      FOR UPDATE OF k SKIP LOCKED
    )
    UPDATE "AccessKey" AS k SET "rotationReminderSentAt" = ${now}
    FROM due, "OrgKeyPolicy" p
    WHERE k."id" = due."id" AND p."orgId" = k."orgId" AND p."rotationPeriodDays" IS NOT NULL
      AND (k."rotationReminderSentAt" IS NULL OR k."rotationReminderSentAt" <= ${now}::timestamp - make_interval(days => p."rotationPeriodDays"))
    RETURNING k."id", k."orgId", k."projectId", k."accessKeyId", k."name", k."ownerId",
      COALESCE(k."rotatedAt", k."createdAt") AS "secretSince", p."rotationPeriodDays" AS "periodDays", due."previousSentAt"`;
}

/** Sends one key's reminder to its owner (while still a member); returns the address, or null when there is nobody to tell. */
async function remindKey(db: Db, deps: ReminderDeps, key: ClaimedKey): Promise<string | null> {
  const [owner, project] = await Promise.all([
    db.user.findFirst({ where: { id: key.ownerId, memberships: { some: { orgId: key.orgId } } }, select: { email: true } }),
    db.project.findUnique({ where: { id: key.projectId }, select: { name: true } }),
  ]);
  if (!owner) return null;
  const keyUrl = keyPageUrl(deps.publicUrl, key.orgId, key.id);
  // Only these fields reach the email: never the secret (the sender copies nothing else either).
  await (await emailSender()).sendRotationReminderEmail(deps.transport, {
    to: owner.email, keyName: key.name, project: project?.name ?? "", secretSince: key.secretSince, periodDays: key.periodDays, keyUrl,
  });
  return owner.email;
}

/** Gives a claimed key back (its previous stamp) so that the next run tries again. */
async function releaseClaim(db: Db, key: ClaimedKey, now: Date) {
  await db.accessKey.updateMany({ where: { id: key.id, rotationReminderSentAt: now }, data: { rotationReminderSentAt: key.previousSentAt } });
}

/**
 * Sends the rotation reminders that are due; returns the number of emails sent. Each one is
 * recorded on the key (so it is not sent again before another period has passed, across
 * restarts) and as a key.rotation_reminder_sent event. A failed send gives the claim back for
 * the next run and ends this one rather than spinning on a broken mailer.
 */
export async function sendRotationReminders(db: Db, deps: ReminderDeps, now = new Date(), batchSize = 100): Promise<number> {
  const log = deps.log ?? ((line: string) => console.info(line));
  let sent = 0;
  for (;;) {
    const keys = await claimDueKeys(db, now, batchSize);
    for (const [i, key] of keys.entries()) {
      let to: string | null;
      try {
        to = await remindKey(db, deps, key);
      } catch (err) {
        log(`[jobs] rotation reminder for key ${key.id} failed, will retry: ${(err as Error).message}`);
        for (const unsent of keys.slice(i)) await releaseClaim(db, unsent, now);
        return sent;
      }
      if (to === null) continue;
      sent++;
      await writeEvent(db, {
        type: "key.rotation_reminder_sent", actor: null, orgId: key.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId,
        data: { recipientEmail: to, periodDays: key.periodDays, secretSince: key.secretSince.toISOString() },
      });
    }
    if (keys.length < batchSize) return sent;
  }
}
