// Query parameters shared by the listing operations.
import { invalidArgument } from "../errors";

export const MAX_LIST_KEYS = 1000;
const INT32_MAX = 2 ** 31 - 1;

/** max-keys / max-parts / max-uploads: default and cap 1000; not a non-negative integer → InvalidArgument. */
export function parseMaxKeys(q: URLSearchParams, name: string, cap = MAX_LIST_KEYS): number {
  const raw = q.get(name);
  if (raw === null) return cap;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value > INT32_MAX) {
    throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  }
  return Math.min(value, cap);
}

/** A non-negative integer marker (part-number-marker); absent → 0. */
export function parseIntMarker(q: URLSearchParams, name: string): number {
  const raw = q.get(name);
  if (raw === null || raw === "") return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > INT32_MAX) {
    throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  }
  return Number(raw);
}

/** encoding-type: only "url" exists. */
export function parseEncodingType(q: URLSearchParams): boolean {
  const raw = q.get("encoding-type");
  if (raw === null || raw === "") return false;
  if (raw.toLowerCase() !== "url") throw invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", raw);
  return true;
}

const TOKEN_VERSION = "k1:";

/** Opaque continuation token: base64url of a version tag + the last key returned. */
export function encodeContinuationToken(lastKey: string): string {
  return Buffer.from(TOKEN_VERSION + lastKey, "utf8").toString("base64url");
}

export function decodeContinuationToken(token: string, name = "continuation-token"): string {
  const decoded = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!decoded.startsWith(TOKEN_VERSION) || encodeContinuationToken(decoded.slice(TOKEN_VERSION.length)) !== token) {
    throw invalidArgument("The continuation token provided is incorrect", name, token);
  }
  return decoded.slice(TOKEN_VERSION.length);
}

/** Optional string parameter; empty string counts as absent. */
export function optional(q: URLSearchParams, name: string): string | undefined {
  const value = q.get(name);
  return value === null || value === "" ? undefined : value;
}
