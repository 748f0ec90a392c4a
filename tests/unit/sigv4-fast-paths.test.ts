// The shortcuts of the SigV4 hot path must agree with the slow, obviously-correct paths they
// skip: canonical encoding without buffers, form decoding, the signing-key cache.
import { describe, expect, it } from "vitest";
import { canonicalizePath, canonicalizeQuery, deriveSigningKey, parseQuery } from "../../gateway/sigv4";
import { encodeBytes, percentDecodeBytes } from "../../gateway/sigv4/uri-encoding";
import { cachedSigningKey } from "../../gateway/sigv4/canonical-request";
import { parseCredential, parseHeaderAuth } from "../../gateway/sigv4/auth-parse";

const SAMPLES = [
  "", "a", "AKIA%2F20260101%2Flocal%2Fs3%2Faws4_request", "%2f", "%41", "a+b", "%", "%4", "%zz", "a%2", "%C3%A9", "%C3", "%FF%FE",
  "é", "😀", "\uD800", "!'()*", "a b", "host%3Bx-amz-date", "~._-", "%7E", "%25", "/", "%2F%2f", "x=y",
];

describe("SigV4 fast paths", () => {
  it("canonical query components equal decode-then-encode of the bytes", () => {
    for (const raw of SAMPLES) {
      const expected = encodeBytes(percentDecodeBytes(raw, true));
      expect(canonicalizeQuery(`k=${raw.replace(/[&=]/g, "")}`), raw).toBe(`k=${encodeBytes(percentDecodeBytes(raw.replace(/[&=]/g, ""), true))}`);
      if (!/[&=]/.test(raw)) expect(canonicalizeQuery(`${raw}=v`).split("=")[0] || "", raw).toBe(expected);
    }
  });

  it("a query sent in canonical form and order is its own canonical query; any other gets the general path", () => {
    // The reference: decode every pair, drop the excluded name, re-encode, sort by name then value.
    const reference = (q: string, exclude?: string) =>
      q.split("&").filter(Boolean).map((piece) => {
        const eq = piece.indexOf("=");
        const [n, v] = eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)];
        return [encodeBytes(percentDecodeBytes(n, true)), encodeBytes(percentDecodeBytes(v, true))];
      }).filter(([n]) => n !== exclude).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
        .map(([n, v]) => `${n}=${v}`).join("&");
    const queries = [
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Flocal%2Fs3%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&x-id=GetObject",
      "b=1&a=2", "a=2&a=1", "a=1&a=1", "a=1&&b=2", "a=1&", "&a=1", "a&b=1", "=x&a=1", "a=%2f&b=1", "a=%41&b=1", "a=x+y&b=1", "a=%C3%A9&b=%FF",
      "X-Amz-Signature=1&X-Amz-Signature=2&a=1", "x-amz-signature=1&X-Amz-Signature=2", "versionId=null", "a=1&b=2&c=3&b=1",
      "X-Amz-Signature=ab", "X-Amz-Signature=ab&a=1", "A=1&X-Amz-Signature=ab", "A=1&X-Amz-Signature=ab&a=1", "a=b=c&d=1", "a==&b=1",
      "a=%4", "a=1&b=%", "a=%2F%", "a=%7E&b=1", "a=%2F%2F&b=%3D", "a=%2f&b=%2F", "a=1&a=1&b=2", "a=1&b=2&",
    ];
    for (const q of queries) {
      expect(canonicalizeQuery(q), q).toBe(reference(q));
      expect(canonicalizeQuery(q, "X-Amz-Signature"), q).toBe(reference(q, "X-Amz-Signature"));
    }
  });

  it("canonical paths equal decode-then-encode of each segment", () => {
    for (const raw of SAMPLES) {
      const path = `/bucket/${raw}/x`;
      const expected = path.split("/").map((s) => encodeBytes(percentDecodeBytes(s, false))).join("/");
      expect(canonicalizePath(path), raw).toBe(expected);
    }
  });

  it("decodes query parameters exactly as URLSearchParams does", () => {
    for (const raw of SAMPLES) {
      const q = `a=${raw.replace(/[&=#]/g, "")}`;
      expect(parseQuery(q), raw).toEqual([...new URLSearchParams(q)]);
    }
  });

  it("caches signing keys per secret and scope, never across secrets or days", () => {
    const a = cachedSigningKey("secret-a", "20260101", "local", "s3");
    expect(a.equals(deriveSigningKey("secret-a", "20260101", "local", "s3"))).toBe(true);
    expect(cachedSigningKey("secret-a", "20260101", "local", "s3")).toBe(a); // served from the cache
    expect(cachedSigningKey("secret-b", "20260101", "local", "s3").equals(a)).toBe(false);
    expect(cachedSigningKey("secret-a", "20260102", "local", "s3").equals(deriveSigningKey("secret-a", "20260102", "local", "s3"))).toBe(true);
    expect(cachedSigningKey("secret-a", "20260101", "other", "s3").equals(a)).toBe(false);
  });

  it("parses the usual Authorization header like the general parser, and shares only frozen parts", () => {
    const headers = new Map([["x-amz-date", ["20260101T000000Z"]]]);
    const cred = "AKID/20260101/local/s3/aws4_request";
    const sig = (c: string) => c.repeat(64);
    const usual = parseHeaderAuth(`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host;x-amz-date, Signature=${sig("a")}`, headers);
    const spaced = parseHeaderAuth(`AWS4-HMAC-SHA256  Signature=${sig("a")} ,Credential=${cred},  SignedHeaders=host;x-amz-date `, headers);
    expect(usual).toEqual(spaced);
    const other = parseHeaderAuth(`AWS4-HMAC-SHA256 Credential=${cred},SignedHeaders=host;x-amz-date,Signature=${sig("b")}`, headers);
    expect(other).toMatchObject({ signature: sig("b"), accessKeyId: "AKID", scope: "20260101/local/s3/aws4_request" });
    if ("ok" in usual || "ok" in other) throw new Error("expected both to parse");
    expect(other.signedHeaders).toBe(usual.signedHeaders); // one parse, shared
    expect(Object.isFrozen(usual.signedHeaders)).toBe(true);
    expect(parseCredential(cred)).toBe(parseCredential(cred));
    expect(Object.isFrozen(parseCredential(cred))).toBe(true);
    // Invalid strings are remembered as invalid, never as something else.
    expect(parseCredential("AKID/2026/local/s3/aws4_request")).toBeNull();
    expect(parseCredential("AKID/2026/local/s3/aws4_request")).toBeNull();
    expect(parseHeaderAuth(`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=x-amz-date;host, Signature=${sig("a")}`, headers)).toMatchObject({ ok: false });
  });
});
