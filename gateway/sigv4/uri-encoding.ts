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

/** Percent-decodes to raw bytes. Non-ASCII characters in the input are taken as UTF-8. */
export function percentDecodeBytes(input: string, plusAsSpace: boolean): Buffer {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code === 0x25 && i + 2 < input.length) {
      const hi = hexValue(input.charCodeAt(i + 1));
      const lo = hexValue(input.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (code === 0x2b && plusAsSpace) out.push(0x20);
    else if (code < 0x80) out.push(code);
    else {
      // Take the whole code point (surrogate pairs included) and append its UTF-8 bytes.
      const cp = input.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) out.push(b);
    }
  }
  return Buffer.from(out);
}

/** AWS URI encoding: unreserved bytes kept, everything else as upper-case %XX. */
export function encodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = "";
  for (const b of bytes) {
    if (isUnreserved(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += "%" + HEX[b >> 4] + HEX[b & 15];
  }
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
  return path
    .split("/")
    .map((segment) => encodeBytes(percentDecodeBytes(segment, false)))
    .join("/");
}

type RawParam = { name: Buffer; value: Buffer };

function splitQuery(query: string): RawParam[] {
  const params: RawParam[] = [];
  for (const piece of query.split("&")) {
    if (piece === "") continue; // "a&&b": empty pieces carry nothing, as in URLSearchParams
    const eq = piece.indexOf("=");
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? "" : piece.slice(eq + 1);
    params.push({ name: percentDecodeBytes(rawName, true), value: percentDecodeBytes(rawValue, true) });
  }
  return params;
}

/** Decoded query parameters in order (UTF-8; invalid sequences become U+FFFD, as URLSearchParams). */
export function parseQuery(query: string): Array<[string, string]> {
  return splitQuery(query).map((p) => [p.name.toString("utf8"), p.value.toString("utf8")]);
}

/**
 * Canonical query string: re-encoded pairs sorted by name then value.
 * `excludeName` drops exactly that decoded parameter name (X-Amz-Signature for presigns);
 * the match is exact so a look-alike such as "x-amz-signature" stays covered by the signature.
 */
export function canonicalizeQuery(query: string, excludeName?: string): string {
  const pairs: Array<[string, string]> = [];
  for (const p of splitQuery(query)) {
    if (excludeName !== undefined && p.name.toString("latin1") === excludeName) continue;
    pairs.push([encodeBytes(p.name), encodeBytes(p.value)]);
  }
  pairs.sort((a, b) => compareAscii(a[0], b[0]) || compareAscii(a[1], b[1]));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
