import type { Db } from "../db";
import type { EmailTransport } from "../email/transport";
import { emailSender } from "./email-sender";
import { Prisma } from "../generated/prisma/client";
import { keyPageUrl } from "../keys/key-page-url";

const DAY_MS = 86_400_000;

export type ReminderDeps = { transport: EmailTransport; publicUrl: string; log?: (line: string) => void };

/** The two reminders: the column that records each, and the window (days before expiry) it covers. */
const REMINDERS = [
  { days: 7, after: 1, column: "reminder7SentAt" },
  { days: 1, after: 0, column: "reminder1SentAt" },
] as const;

type ClaimedKey = { id: string; orgId: string; projectId: string; name: string; expiresAt: Date; ownerId: string; createdById: string };

/**
 * Claims keys due for a reminder by stamping its column where it is still NULL and returning
 * the rows the stamp changed. With several web processes running this job at once, each key
 * is returned to exactly one of them (FOR UPDATE SKIP LOCKED hands out disjoint rows, and
 * the re-check of the column after the lock rules out a second claim), so each reminder is
 * sent once.
 *
 * A key is due when it expires within the window (7-day: in 1 to 7 days; 1-day: within a day,
 * so a job that was down for a week never sends both at once) and existed (by an hour, to absorb clock
 * differences between app and database) before the window opened: a key created with the
 * 7-day preset gets no "expires in 7 days" email a minute after its creator chose that expiry.
 * Revoked and already-expired keys get nothing.
 */
async function claimDueKeys(db: Db, reminder: (typeof REMINDERS)[number], now: Date, limit: number): Promise<ClaimedKey[]> {
  const column = Prisma.raw(`"${reminder.column}"`);
  const windowStart = new Date(now.getTime() + reminder.after * DAY_MS);
  const windowEnd = new Date(now.getTime() + reminder.days * DAY_MS);
  return db.$queryRaw<ClaimedKey[]>`
    UPDATE "AccessKey" SET ${column} = ${now}
    WHERE "id" IN (
      SELECT "id" FROM "AccessKey"
      WHERE ${column} IS NULL AND "revokedAt" IS NULL
        AND "expiresAt" > ${windowStart} AND "expiresAt" <= ${windowEnd}
        AND "createdAt" < "expiresAt" - make_interval(days => ${reminder.days}, hours => 1)
      ORDER BY "expiresAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) AND ${column} IS NULL
    RETURNING "id", "orgId", "projectId", "name", "expiresAt", "ownerId", "createdById"`;
}

/** Owner and creator, once each, and only while they are still members of the organization. */
async function recipientsOf(db: Db, key: ClaimedKey): Promise<string[]> {
  const users = await db.user.findMany({
    where: { id: { in: [key.ownerId, key.createdById] }, memberships: { some: { orgId: key.orgId } } },
    select: { email: true },
  });
  return [...new Set(users.map((u) => u.email.toLowerCase()))];
}

/** Sends one key's reminder; returns how many emails went out and whether any failed. */
async function remindKey(db: Db, deps: ReminderDeps, key: ClaimedKey, now: Date) {
  const project = await db.project.findUnique({ where: { id: key.projectId }, select: { name: true } });
  const keyUrl = keyPageUrl(deps.publicUrl, key.orgId, key.id);
  // Rounded up: the 7-day reminder goes out with 6.99 days left and should say "in 7 days".
  const daysLeft = Math.max(0, Math.ceil((key.expiresAt.getTime() - now.getTime()) / DAY_MS));
  let sent = 0;
  let error: Error | null = null;
  for (const to of await recipientsOf(db, key)) {
    try {
      await (await emailSender()).sendExpiryReminderEmail(deps.transport, { to, keyName: key.name, project: project?.name ?? "", expiresAt: key.expiresAt, daysLeft, keyUrl });
      sent++;
    } catch (err) {
      error = err as Error;
    }
  }
  return { sent, error };
}

/**
 * Sends the 7-day and 1-day expiry reminders that are due; returns the number of emails sent.
 * A failed batch ends the run (the next run retries) rather than spinning on a broken mailer.
 */
export async function sendExpiryReminders(db: Db, deps: ReminderDeps, now = new Date(), batchSize = 100): Promise<number> {
  const log = deps.log ?? ((line: string) => console.info(line));
  let emails = 0;
  for (const reminder of REMINDERS) {
    for (;;) {
      const keys = await claimDueKeys(db, reminder, now, batchSize);
      let failed = false;
      for (const key of keys) {
        const { sent, error } = await remindKey(db, deps, key, now);
        emails += sent;
        if (!error) continue;
        failed = true;
        // Nobody got it: release this run's claim so a later run retries. Someone got it: keep
        // the claim, a retry would send that person a second copy.
        if (sent === 0) {
          await db.$executeRaw`UPDATE "AccessKey" SET ${Prisma.raw(`"${reminder.column}"`)} = NULL WHERE "id" = ${key.id} AND ${Prisma.raw(`"${reminder.column}"`)} = ${now}`;
        }
        log(`[jobs] ${reminder.days}-day expiry reminder for key ${key.id} failed${sent === 0 ? ", will retry" : ""}: ${error.message}`);
      }
      if (keys.length < batchSize || failed) break;
    }
  }
  return emails;
}
