export type KeyStatus = "Active" | "Expired" | "Revoked";

/** Derived on every read from revokedAt/expiresAt, never stored, so it cannot go stale. */
export function keyStatus(key: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): KeyStatus {
  if (key.revokedAt) return "Revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "Expired";
  return "Active";
}

/** Prisma filter for keys that work right now. */
export const activeKeyWhere = (now = new Date()) => ({
  revokedAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});
