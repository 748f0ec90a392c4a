import type { Db } from "../db";

type ExpiredKey = { id: string; orgId: string; projectId: string; accessKeyId: string; expiresAt: Date };

/**
 * Writes key.expired once per key that has reached its expiry. The gateway refuses expired
 * keys on its own (it compares expiresAt on every request); this job only records the fact.
 * "Once" holds across concurrent runners: the UPDATE claims a key by setting expiredEventAt
 * only where it is still NULL (rows another runner has locked are skipped, and the
 * re-check after the lock makes a second claim impossible), and the events are written in
 * the same transaction as the claim, so a crash cannot leave a claimed key without its event.
 */
export async function expireKeys(db: Db, now = new Date(), batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await db.$transaction(async (tx) => {
      const keys = await tx.$queryRaw<ExpiredKey[]>`
        UPDATE "AccessKey" SET "expiredEventAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "AccessKey"
          WHERE "expiresAt" <= ${now} AND "expiredEventAt" IS NULL AND "revokedAt" IS NULL
          ORDER BY "expiresAt" LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        ) AND "expiredEventAt" IS NULL
        RETURNING "id", "orgId", "projectId", "accessKeyId", "expiresAt"`;
      if (keys.length) {
        await tx.event.createMany({
          data: keys.map((k) => ({
            type: "key.expired", at: now, orgId: k.orgId, projectId: k.projectId, keyId: k.id, accessKeyId: k.accessKeyId,
            outcome: "allowed", data: { expiresAt: k.expiresAt.toISOString() },
          })),
        });
      }
      return keys.length;
    });
    total += claimed;
    if (claimed < batchSize) return total;
  }
}
