// Request events are built from what clients send (object keys, user agents, headers), so
// they are made storable before they are queued: PostgreSQL text refuses NUL, and a JS string
// may hold lone surrogates (which are not valid UTF-8). Both are escaped, never dropped, so the
// event still shows what was sent; long values are capped. The fast path (a clean, short
// string) returns the same string without allocating.
import type { RequestEvent } from "./event-writer";

/** Character caps per field (S3 object keys are at most 1024 bytes; longer ones are refused). */
export const FIELD_CAPS = { objectKey: 1024, bucket: 255, userAgent: 512, ip: 64, operation: 64, errorCode: 64, requestId: 64, id: 64 } as const;

const NUL_OR_SURROGATE = /[\u0000\ud800-\udfff]/;
const ESCAPE = /\u0000|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

const escapeChar = (c: string) => (c.length === 2 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** `value` escaped (NUL → "\u0000", lone surrogates → "\udXXX") and capped at `max` characters. */
export function storableText(value: string, max: number): string {
  let out = value;
  if (NUL_OR_SURROGATE.test(out)) out = out.replace(ESCAPE, escapeChar);
  if (out.length > max) {
    out = out.slice(0, max - 1);
    // Do not end on the first half of a surrogate pair.
    if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
    out += "…";
  }
  return out;
}

const text = (value: string | null, max: number) => (value === null ? null : storableText(value, max));
const int32 = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.min(2_147_483_647, Math.round(n))) : 0);
const int64 = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.min(Number.MAX_SAFE_INTEGER, Math.round(n))) : 0);

/**
 * Makes the event storable in place (the writer owns it once recorded; no copy per request):
 * every client-supplied string escaped and capped, numbers within their column types.
 */
export function storableEvent(e: RequestEvent): RequestEvent {
  if (Number.isNaN(e.at.getTime())) e.at = new Date();
  e.orgId = storableText(e.orgId, FIELD_CAPS.id);
  e.projectId = storableText(e.projectId, FIELD_CAPS.id);
  e.keyId = storableText(e.keyId, FIELD_CAPS.id);
  e.accessKeyId = storableText(e.accessKeyId, FIELD_CAPS.id);
  e.operation = storableText(e.operation, FIELD_CAPS.operation);
  e.bucket = text(e.bucket, FIELD_CAPS.bucket);
  e.objectKey = text(e.objectKey, FIELD_CAPS.objectKey);
  e.errorCode = text(e.errorCode, FIELD_CAPS.errorCode);
  e.bytesIn = int64(e.bytesIn);
  e.bytesOut = int64(e.bytesOut);
  e.durationMs = int32(e.durationMs);
  e.ip = text(e.ip, FIELD_CAPS.ip);
  e.userAgent = text(e.userAgent, FIELD_CAPS.userAgent);
  e.requestId = storableText(e.requestId, FIELD_CAPS.requestId);
  return e;
}
