// URI handling for the S3 flavour of SigV4 canonicalisation.
//
// Security rule: the canonical form must be a function of what the gateway will *act on*.
// Two targets that the gateway interprets differently must never share a canonical form,
// otherwise one signature would authorise both. Therefore:
// - the path is only percent-decoded and re-encoded segment by segment. S3 does not
//   normalise paths: no dot-segment removal, no slash merging, no double encoding;
// - query names/values are decoded with form semantics ('+' is a space), like
//   URLSearchParams. The gateway must parse the query the same way (use `parseQuery`).
// Decoding works on bytes, so invalid UTF-8 or stray '%' never throw and still round-trip.

const HEX = "0123456789ABCDEF";

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e // - . _ ~
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** True when `s` is only unreserved ASCII (then it is its own decoding and canonical encoding). */
function isUnreservedString(s: string, keepSlash = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUnreserved(c) && !(keepSlash && c === 0x2f)) return false;
  }
  return true;
}

/** True when decoding `s` changes nothing: ASCII without '%' (and without '+' in form mode). */
function decodesToItself(s: string, plusAsSpace: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0x25 || (plusAsSpace && c === 0x2b)) return false;
  }
  return true;
}

/**
 * Walks `input` byte by byte as percentDecodeBytes decodes it, calling `emit` per byte.
 * One loop shared by decoding and canonical re-encoding, so the two can never disagree.
 */
function forEachDecodedByte(input: string, plusAsSpace: boolean, emit: (byte: number) => void): void {
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code === 0x25 && i + 2 < input.length) {
      const hi = hexValue(input.charCodeAt(i + 1));
      const lo = hexValue(input.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        emit(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (code === 0x2b && plusAsSpace) emit(0x20);
    else if (code < 0x80) emit(code);
    else {
      // Take the whole code point (surrogate pairs included) and emit its UTF-8 bytes.
      const cp = input.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) emit(b);
    }
  }
}

/** Percent-decodes to raw bytes. Non-ASCII characters in the input are taken as UTF-8. */
export function percentDecodeBytes(input: string, plusAsSpace: boolean): Buffer {
  if (decodesToItself(input, plusAsSpace)) return Buffer.from(input, "latin1");
  const out: number[] = [];
  forEachDecodedByte(input, plusAsSpace, (b) => out.push(b));
  return Buffer.from(out);
}

const encodeByte = (b: number) => (isUnreserved(b) ? String.fromCharCode(b) : "%" + HEX[b >> 4] + HEX[b & 15]);

/** AWS URI encoding: unreserved bytes kept, everything else as upper-case %XX. */
export function encodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = "";
  for (const b of bytes) out += keepSlash && b === 0x2f ? "/" : encodeByte(b);
  return out;
}

const isUpperHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46);

/**
 * True when `raw` is already in canonical form: unreserved characters, and %XX (upper-case hex)
 * only for bytes that must stay encoded. Then decoding and re-encoding gives `raw` back.
 */
function isCanonical(raw: string, from = 0, to = raw.length): boolean {
  for (let i = from; i < to; i++) {
    const c = raw.charCodeAt(i);
    if (isUnreserved(c)) continue;
    if (c !== 0x25 || i + 2 >= to) return false;
    const hi = raw.charCodeAt(i + 1);
    const lo = raw.charCodeAt(i + 2);
    if (!isUpperHex(hi) || !isUpperHex(lo) || isUnreserved(hexValue(hi) * 16 + hexValue(lo))) return false;
    i += 2;
  }
  return true;
}

/**
 * encodeBytes(percentDecodeBytes(raw)) without the intermediate buffer; the common cases (only
 * unreserved characters, or already canonical escapes such as a credential's %2F) return `raw`
 * itself. This runs for every path segment and query parameter of every request.
 */
export function canonicalComponent(raw: string, plusAsSpace: boolean): string {
  if (isCanonical(raw)) return raw;
  let out = "";
  forEachDecodedByte(raw, plusAsSpace, (b) => (out += encodeByte(b)));
  return out;
}

/** Splits a raw request target into path and raw query (without the "?"). */
export function splitTarget(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q < 0 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** Canonical URI: each '/'-separated segment decoded then re-encoded; '/' kept as sent. */
export function canonicalizePath(path: string): string {
  if (path === "") return "/";
  if (isUnreservedString(path, true)) return path;
  return path
    .split("/")
    .map((segment) => canonicalComponent(segment, false))
    .join("/");
}

/** The query's "name=value" pieces, still encoded; empty pieces dropped as in URLSearchParams. */
function rawPairs(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (query === "") return pairs;
  for (const piece of query.split("&")) {
    if (piece === "") continue; // "a&&b": empty pieces carry nothing
    const eq = piece.indexOf("=");
    pairs.push(eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)]);
  }
  return pairs;
}

/** Form decoding (UTF-8; invalid sequences become U+FFFD, as URLSearchParams). */
function decodeForm(raw: string): string {
  if (decodesToItself(raw, true)) return raw;
  if (isCanonical(raw)) {
    try {
      return decodeURIComponent(raw); // same result as the byte path for valid UTF-8
    } catch {
      // invalid UTF-8 among the escapes: the byte path below turns it into U+FFFD
    }
  }
  return percentDecodeBytes(raw, true).toString("utf8");
}

/** Decoded query parameters in order. */
export function parseQuery(query: string): Array<[string, string]> {
  const pairs = rawPairs(query);
  for (const pair of pairs) {
    pair[0] = decodeForm(pair[0]);
    pair[1] = decodeForm(pair[1]);
  }
  return pairs;
}

/**
 * Canonical query string: re-encoded pairs sorted by name then value.
 * `excludeName` drops exactly that decoded parameter name (X-Amz-Signature for presigns);
 * the match is exact so a look-alike such as "x-amz-signature" stays covered by the signature.
 * `excludeName` must consist of unreserved characters: it is then equal to a decoded name
 * exactly when it is equal to that name's canonical encoding.
 */
export function canonicalizeQuery(query: string, excludeName?: string): string {
  const asSent = canonicalAsSent(query, excludeName);
  if (asSent !== null) return asSent;
  const pairs: Array<[string, string]> = [];
  for (const [rawName, rawValue] of rawPairs(query)) {
    const name = canonicalComponent(rawName, true);
    if (name === excludeName) continue;
    pairs.push([name, canonicalComponent(rawValue, true)]);
  }
  if (pairs.length > 1) pairs.sort((a, b) => compareAscii(a[0], b[0]) || compareAscii(a[1], b[1]));
  let out = "";
  for (let i = 0; i < pairs.length; i++) out += (i ? "&" : "") + pairs[i][0] + "=" + pairs[i][1];
  return out;
}

/** The characters a query in canonical form consists of (unreserved, escapes, separators). */
const QUERY_CHARS = /^[A-Za-z0-9\-._~%=&]*$/;

/**
 * The canonical query when the query as sent already is one, minus `excludeName`: every piece
 * "name=value" in canonical encoding, names strictly ascending. SDKs send exactly that, so the
 * usual request skips decoding, re-encoding and sorting. Null when anything differs (an empty
 * piece, a piece without "=", a repeated name, another encoding or order): then the general
 * path below decides.
 */
function canonicalAsSent(query: string, excludeName?: string): string | null {
  // Native scans first: only unreserved characters, "%", "=" and "&", and every escape canonical.
  if (!QUERY_CHARS.test(query) || query.endsWith("&")) return null;
  for (let i = query.indexOf("%"); i >= 0; i = query.indexOf("%", i + 3)) if (!isCanonical(query, i, i + 3)) return null;
  let previous = "";
  let cutFrom = -1; // the excluded piece and one of its "&" separators, as query indices
  let cutTo = -1;
  for (let start = 0; start < query.length; ) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    const eq = query.indexOf("=", start);
    if (eq <= start || eq > end) return null; // "=value", or a piece without "="
    const second = query.indexOf("=", eq + 1);
    if (second >= 0 && second < end) return null; // "=" in a value is sent encoded
    const name = query.slice(start, eq);
    if (name === excludeName) {
      if (cutFrom >= 0) return null; // repeated: the general path decides
      cutFrom = start === 0 ? 0 : start - 1;
      cutTo = start === 0 ? Math.min(end + 1, query.length) : end;
    } else {
      if (previous !== "" && !(previous < name)) return null;
      previous = name;
    }
    start = end + 1;
  }
  return cutFrom < 0 ? query : query.slice(0, cutFrom) + query.slice(cutTo);
}
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
