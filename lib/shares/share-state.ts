import { AppError } from "../errors";
import type { KeyKind } from "../generated/prisma/enums";
import { keyStatus } from "../keys/status";

/** What a share link can be when someone opens it. Only "ready" reveals anything. */
export type ShareState = "ready" | "unknown" | "used" | "cancelled" | "expired" | "key_revoked" | "key_expired" | "key_disabled";

type ShareRow = {
  usedAt: Date | null;
  cancelledAt: Date | null;
  expiresAt: Date;
  key: { kind: KeyKind; revokedAt: Date | null; expiresAt: Date | null; disabledAt: Date | null };
};

/** Derived on every read, like key status, so it cannot go stale. */
export function shareState(share: ShareRow | null, now = new Date()): ShareState {
  // A master key can never be shared; treat a row pointing at one as if it did not exist.
  if (!share || share.key.kind === "MASTER") return "unknown";
  if (share.usedAt) return "used";
  const status = keyStatus(share.key, now);
  // Revoking a key cancels its links too; the recipient is better told the key itself is gone.
  if (status === "Revoked") return "key_revoked";
  if (share.cancelledAt) return "cancelled";
  if (share.expiresAt.getTime() <= now.getTime()) return "expired";
  if (status === "Expired") return "key_expired";
  // Not consumed: the link works again if the key is enabled before the link expires.
  if (status === "Disabled") return "key_disabled";
  return "ready";
}

/** Title and sentence of the page a recipient sees for each state other than "ready". */
export const SHARE_STATE_TEXT: Record<Exclude<ShareState, "ready">, { title: string; message: string }> = {
  unknown: {
    title: "This link is not valid",
    message: "No key share matches this link. Check that you opened the whole link from the email.",
  },
  used: {
    title: "This link has already been used",
    message: "Each share link reveals the key once, and this one has been opened already. Ask the sender to share the key again if you still need it.",
  },
  cancelled: {
    title: "This link was cancelled",
    message: "The sender cancelled this share. Ask them to share the key again if you still need it.",
  },
  expired: {
    title: "This link has expired",
    message: "Share links only work for a limited time. Ask the sender to share the key again.",
  },
  key_revoked: {
    title: "This key has been revoked",
    message: "The key shared through this link was revoked and no longer works, so there is nothing to reveal.",
  },
  key_expired: {
    title: "This key has expired",
    message: "The key shared through this link has expired and no longer works, so there is nothing to reveal.",
  },
  key_disabled: {
    title: "This key is disabled",
    message: "The key shared through this link is currently disabled, so it cannot be revealed. Ask the sender to enable it and try again.",
  },
};

/** The error for a link that cannot be used; the code is the state, so callers can tell which. */
export function shareStateError(state: Exclude<ShareState, "ready">): AppError {
  return new AppError(state === "unknown" ? 404 : 410, state, SHARE_STATE_TEXT[state].message);
}
