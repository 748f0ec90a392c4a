import type { Tx } from "../db";

export const KEY_CHANGED_CHANNEL = "keygate_key_changed";

/**
 * Payloads: an access key id, "project:<id>" (its buckets changed) or "user:<id>" (role changed).
 * Tells every gateway to drop its cached copy of these keys. Sent inside the transaction of
 * the change: PostgreSQL delivers NOTIFY only on commit, so a gateway never sees the
 * invalidation before the new state is readable.
 */
export async function notifyKeysChanged(tx: Tx, accessKeyIds: string[]): Promise<void> {
  for (const id of accessKeyIds) {
    await tx.$executeRaw`SELECT pg_notify(${KEY_CHANGED_CHANNEL}, ${id})`;
  }
}
