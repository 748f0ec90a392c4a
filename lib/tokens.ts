import { createHash, randomBytes } from "node:crypto";

/** Opaque one-time tokens (invitations, share links): only the SHA-256 is stored. */
export function generateToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
