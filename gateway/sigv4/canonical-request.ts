import { createHmac, hash } from "node:crypto";
import { hmacSha256Hex, signaturesEqual } from "./hmac";
import type { HeaderValue, ParsedAuth, SigV4Request } from "./types";
import { canonicalizePath, canonicalizeQuery, splitTarget } from "./uri-encoding";

export type HeaderMap = Map<string, string[]>;

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Lower-cases names and turns every header into a list of values (repeated headers stay separate). */
export function normalizeHeaders(headers: Record<string, HeaderValue>): HeaderMap {
  const map: HeaderMap = new Map();
  for (const rawName in headers) {
    const value = headers[rawName];
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const list = map.get(name);
    // The caller's arrays (node's headersDistinct) are shared, never mutated: repeats get a new array.
    if (list === undefined) map.set(name, Array.isArray(value) ? value : [value]);
    else map.set(name, list.concat(value));
  }
  return map;
}

/** Trim and collapse runs of spaces/tabs (line breaks count as spaces), join repeats with ",". */
export function canonicalHeaderValue(values: string[]): string {
  if (values.length === 1 && !NEEDS_TRIM.test(values[0])) return values[0];
  return values
    .map((v) => v.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, ""))
    .join(",");
}
/** Anything canonicalHeaderValue would change in a single value. */
const NEEDS_TRIM = /[\r\n\t]| {2}|^ | $/;

export type CanonicalInput = {
  method: string;
  url: string;
  headers: HeaderMap;
  signedHeaders: readonly string[];
  payloadHash: string;
  /** Query parameter left out of the canonical query (X-Amz-Signature for presigned URLs). */
  excludeQueryParam?: string;
};

/**
 * Builds the S3 canonical request. Returns null when a signed header is absent from the request:
 * an absent header and an empty one would otherwise canonicalise identically.
 */
export function buildCanonicalRequest(input: CanonicalInput): string | null {
  const { path, query } = splitTarget(input.url);
  let headerLines = "";
  for (const name of input.signedHeaders) {
    const values = input.headers.get(name);
    if (values === undefined || values.length === 0) return null;
    headerLines += name + ":" + canonicalHeaderValue(values) + "\n";
  }
  return (
    input.method + "\n" + canonicalizePath(path) + "\n" + canonicalizeQuery(query, input.excludeQueryParam) + "\n" +
    headerLines + "\n" + input.signedHeaders.join(";") + "\n" + input.payloadHash
  );
}

export { signaturesEqual };

/** One-shot hash: a fraction of the cost of a createHash object for short inputs. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

export function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac("AWS4" + secret, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

/**
 * Signing keys by secret, for the scope last used with it: a key signs with the same
 * day/region/service all day, so four of the five HMACs of a verification are skipped. Keyed by
 * the secret (not the access key id) so a rotated secret can never meet a stale key. Bounded;
 * entries only ever hold what the key store holds anyway.
 */
const signingKeys = new Map<string, { scope: string; key: Buffer }>();
const MAX_SIGNING_KEYS = 10_000;

export function cachedSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const scope = date + "/" + region + "/" + service;
  const hit = signingKeys.get(secret);
  if (hit !== undefined && hit.scope === scope) return hit.key;
  const key = deriveSigningKey(secret, date, region, service);
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
  signingKeys.set(secret, { scope, key });
  return key;
}

export function signHex(signingKey: Uint8Array, stringToSign: string): string {
  return hmacSha256Hex(signingKey, stringToSign);
}

export type SignatureCheck = { match: boolean; signingKey: Buffer };

/** Recomputes the request signature from its parts and compares it with the provided one. */
export function checkRequestSignature(
  req: SigV4Request,
  auth: ParsedAuth,
  secret: string,
  payloadHash: string,
  headers: HeaderMap = normalizeHeaders(req.headers),
): SignatureCheck {
  const signingKey = cachedSigningKey(secret, auth.scopeDate, auth.region, auth.service);
  const canonical = buildCanonicalRequest({
    method: req.method,
    url: req.url,
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash,
    excludeQueryParam: auth.kind === "presign" ? "X-Amz-Signature" : undefined,
  });
  if (canonical === null) return { match: false, signingKey };
  const expected = signHex(signingKey, buildStringToSign(auth.amzDate, auth.scope, canonical));
  return { match: signaturesEqual(expected, auth.signature), signingKey };
}
