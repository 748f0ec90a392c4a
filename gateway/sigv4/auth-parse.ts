import { ALGORITHM, type HeaderMap } from "./canonical-request";
import { MSG, fail } from "./errors";
import type { ParsedAuth, VerifyFail } from "./types";

// Syntax of SigV4 credentials. Every client-supplied identifier that may end up in an error
// message or a log (access key id, region, service) is restricted to a safe charset here.

const ACCESS_KEY_RE = /^[A-Za-z0-9._-]{1,128}$/;
const SCOPE_PART_RE = /^[a-z0-9-]{1,64}$/;
// s3cmd signs for "US" when no region is set and relies on the wrong-region error to learn the
// right one, so upper case must reach the region check instead of failing as malformed.
const REGION_RE = /^[A-Za-z0-9-]{1,64}$/;
export const SIGNATURE_RE = /^[0-9a-f]{64}$/;
const HEADER_NAME_RE = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export type Credential = { accessKeyId: string; scopeDate: string; region: string; service: string; scope: string };

const headerFail = (reason: string, message: string) =>
  fail(400, "AuthorizationHeaderMalformed", reason, `${MSG.headerMalformed} ${message}`);

/** One value of a header that must not be repeated; "repeated" when sent more than once. */
export function singleHeader(headers: HeaderMap, name: string): string | undefined | "repeated" {
  const values = headers.get(name);
  if (values === undefined || values.length === 0) return undefined;
  return values.length === 1 ? values[0] : "repeated";
}

/** The last valid timestamp parsed: clients send the same one for many requests in a row. */
let lastAmzDate = { value: "", time: 0 };

export function parseAmzDate(value: string): Date | null {
  if (value === lastAmzDate.value) return new Date(lastAmzDate.time);
  const m = AMZ_DATE_RE.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject out-of-range fields (e.g. month 13) that Date.UTC would silently roll over.
  const exact = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  if (!exact) return null;
  lastAmzDate = { value, time: date.getTime() };
  return date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** IMF-fixdate only ("Fri, 24 May 2013 00:00:00 GMT"), the form HTTP/1.1 clients send. */
export function parseHttpDate(value: string): Date | null {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Parses of the credential and signed-header strings, by their raw text: a client sends the same
 * two strings for every request of a day, and parsing them (splits, five regular expressions) was
 * a third of a verification. Results are frozen so no request can alter another's. Bounded:
 * cleared when full, so a flood of distinct strings costs only re-parsing.
 */
const parsed = new Map<string, Readonly<Credential> | readonly string[] | null>();
const MAX_PARSED = 1024;
const MAX_CACHED_LENGTH = 512;

function memo<T extends Readonly<Credential> | readonly string[]>(kind: string, raw: string, parse: (raw: string) => T | null): T | null {
  if (raw.length > MAX_CACHED_LENGTH) return parse(raw);
  const key = kind + raw;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit as T | null;
  const result = parse(raw);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(key, result === null ? null : (Object.freeze(result) as T));
  return result;
}

export function parseCredential(raw: string): Readonly<Credential> | null {
  return memo("c", raw, parseCredentialUncached);
}

function parseCredentialUncached(raw: string): Credential | null {
  const parts = raw.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") return null;
  const [accessKeyId, scopeDate, region, service] = parts;
  if (!ACCESS_KEY_RE.test(accessKeyId) || !/^\d{8}$/.test(scopeDate)) return null;
  if (!REGION_RE.test(region) || !SCOPE_PART_RE.test(service)) return null;
  return { accessKeyId, scopeDate, region, service, scope: scopeDate + "/" + region + "/" + service + "/aws4_request" };
}

/** Signed header names: valid tokens, strictly ascending (which also forbids duplicates). */
export function parseSignedHeaders(raw: string): readonly string[] | null {
  return memo("h", raw, parseSignedHeadersUncached);
}

function parseSignedHeadersUncached(raw: string): string[] | null {
  const names = raw.split(";");
  for (let i = 0; i < names.length; i++) {
    if (!HEADER_NAME_RE.test(names[i])) return null;
    if (i > 0 && names[i - 1] >= names[i]) return null;
  }
  return names;
}

/** The field order and spacing every SDK sends; anything else takes the general parser below. */
const USUAL_AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([^,\s]+)$/;

function splitAuthorization(value: string): Map<string, string> | null {
  const usual = USUAL_AUTH_RE.exec(value);
  if (usual !== null) return new Map([["Credential", usual[1]], ["SignedHeaders", usual[2]], ["Signature", usual[3]]]);
  const rest = value.slice(ALGORITHM.length).trimStart();
  const fields = new Map<string, string>();
  for (const part of rest.split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq < 0) return null;
    const name = item.slice(0, eq);
    if (!["Credential", "SignedHeaders", "Signature"].includes(name) || fields.has(name)) return null;
    fields.set(name, item.slice(eq + 1));
  }
  return fields.size === 3 ? fields : null;
}

function requestDate(headers: HeaderMap): { amzDate: string; time: Date } | null {
  const amz = singleHeader(headers, "x-amz-date");
  if (amz !== undefined) {
    const time = amz === "repeated" ? null : parseAmzDate(amz);
    return time ? { amzDate: amz, time } : null;
  }
  const http = singleHeader(headers, "date");
  const time = http === undefined || http === "repeated" ? null : parseHttpDate(http);
  return time ? { amzDate: formatAmzDate(time), time } : null;
}

/** Parses `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseHeaderAuth(value: string, headers: HeaderMap): ParsedAuth | VerifyFail {
  const fields = splitAuthorization(value);
  if (!fields) {
    return headerFail("malformed_auth", "the authorization header requires three components: Credential, SignedHeaders, and Signature.");
  }
  const cred = parseCredential(fields.get("Credential") as string);
  if (!cred) return headerFail("malformed_credential", MSG.credentialShape);
  const signedHeaders = parseSignedHeaders(fields.get("SignedHeaders") as string);
  if (!signedHeaders) return headerFail("malformed_signed_headers", "the SignedHeaders list is invalid.");
  const signature = fields.get("Signature") as string;
  if (!SIGNATURE_RE.test(signature)) return headerFail("malformed_signature", "the Signature is malformed.");
  const date = requestDate(headers);
  if (!date) return fail(403, "AccessDenied", "missing_date", MSG.noDate, { accessKeyId: cred.accessKeyId });
  if (date.amzDate.slice(0, 8) !== cred.scopeDate) {
    return headerFail("credential_date_mismatch", "Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  return buildAuth("header", cred, signedHeaders, signature, date.amzDate, date.time);
}

export function buildAuth(
  kind: ParsedAuth["kind"], cred: Readonly<Credential>, signedHeaders: readonly string[],
  signature: string, amzDate: string, requestTime: Date, expiresSeconds?: number,
): ParsedAuth {
  const { accessKeyId, scopeDate, region, service, scope } = cred;
  return { kind, accessKeyId, scopeDate, region, service, scope, signedHeaders, signature, amzDate, requestTime, expiresSeconds };
}
