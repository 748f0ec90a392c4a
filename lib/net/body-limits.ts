/**
 * Request body limits of the web process, enforced by scripts/web-server.ts on the headers
 * alone, before a single body byte is read: a 200 MiB POST to the sign-in endpoint is refused
 * as cheaply as a 2 KiB one. Nothing the console does needs a large body (objects go through
 * the gateway), so the limits are small.
 */
export const KiB = 1024;

/** Endpoints anyone can reach without a session: sign-in, share links, invitations. */
export const UNAUTHENTICATED_BODY_LIMIT = 16 * KiB;
/** The management API (/api/v1), and GitHub's leaked-key reports (batches of tokens, signed). */
export const API_BODY_LIMIT = 256 * KiB;
/** Server actions of the console; next.config.ts sets the same as serverActions.bodySizeLimit. */
export const ACTION_BODY_LIMIT = 256 * KiB;

const UNAUTHENTICATED = /^\/(api\/auth|signin|share|invite)(\/|$)/;

export function bodyLimitFor(pathname: string): number {
  if (UNAUTHENTICATED.test(pathname)) return UNAUTHENTICATED_BODY_LIMIT;
  if (pathname.startsWith("/api/v1/") || pathname.startsWith("/api/secret-scanning/")) return API_BODY_LIMIT;
  return ACTION_BODY_LIMIT;
}

export type BodyVerdict = { ok: true } | { ok: false; status: 411 | 413; message: string };

/**
 * Decides from the request line and headers alone. A body must announce its length: a chunked
 * body of unknown size could only be limited by reading it, which is what we refuse to do.
 */
export function checkBodyHeaders(pathname: string, headers: { "content-length"?: string; "transfer-encoding"?: string }): BodyVerdict {
  const limit = bodyLimitFor(pathname);
  const length = headers["content-length"];
  if (length === undefined) {
    if (headers["transfer-encoding"]) return { ok: false, status: 411, message: "Send the request body with a Content-Length." };
    return { ok: true };
  }
  if (!/^\d{1,15}$/.test(length)) return { ok: false, status: 413, message: "Invalid Content-Length." };
  if (Number(length) > limit) return { ok: false, status: 413, message: `The request body is larger than ${Math.floor(limit / KiB)} KiB.` };
  return { ok: true };
}
