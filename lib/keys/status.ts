export type KeyStatus = "Active" | "Disabled" | "Expired" | "Revoked";

/**
 * Derived on every read from revokedAt/expiresAt/disabledAt, never stored, so it cannot go
 * stale. The final states win: a disabled key that expires shows "Expired".
 */
export function keyStatus(key: { revokedAt: Date | null; expiresAt: Date | null; disabledAt?: Date | null }, now = new Date()): KeyStatus {
  if (key.revokedAt) return "Revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "Expired";
  if (key.disabledAt) return "Disabled";
  return "Active";
}

/** A rotation's previous secret, destroyed (the overlap window ended, or the key was revoked). */
export const NO_PREVIOUS_SECRET = { previousSealedSecret: null, previousSecretLast4: null, previousSecretUntil: null } as const;

/** The fields every revocation writes: revocation destroys secret material, the previous secret too. */
export const revocation = (now = new Date()) => ({ revokedAt: now, ...NO_PREVIOUS_SECRET });

/** Prisma filter for keys that work right now. */
export const activeKeyWhere = (now = new Date()) => ({
  revokedAt: null,
  disabledAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});
