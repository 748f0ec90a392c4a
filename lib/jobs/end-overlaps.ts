import type { Db } from "../db";

type Ended = { id: string; orgId: string; projectId: string; accessKeyId: string; last4: string | null };

/**
 * Destroys previous secrets whose rotation overlap window has ended. The gateway stops
 * accepting them at the end time on its own (it compares the time on every request); this job
 * removes the sealed copy and records key.overlap_ended, once per window: the UPDATE claims
 * the rows (concurrent runners skip locked ones), in the same transaction as the events.
 */
export async function endOverlapWindows(db: Db, now = new Date(), batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await db.$transaction(async (tx) => {
      const keys = await tx.$queryRaw<Ended[]>`
        WITH due AS (
          SELECT "id", "previousSecretLast4" FROM "AccessKey"
          WHERE "previousSecretUntil" <= ${now} ORDER BY "previousSecretUntil" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
        )
        UPDATE "AccessKey" AS k SET "previousSealedSecret" = NULL, "previousSecretLast4" = NULL, "previousSecretUntil" = NULL
        FROM due WHERE k."id" = due."id"
        RETURNING k."id", k."orgId", k."projectId", k."accessKeyId", due."previousSecretLast4" AS "last4"`;
      if (keys.length) {
        await tx.event.createMany({
          data: keys.map((k) => ({
            type: "key.overlap_ended", at: now, orgId: k.orgId, projectId: k.projectId, keyId: k.id, accessKeyId: k.accessKeyId,
            outcome: "allowed", data: { last4: k.last4, reason: "window_ended" },
          })),
        });
      }
      return keys.length;
    });
    total += ended;
    if (ended < batchSize) return total;
  }
}
