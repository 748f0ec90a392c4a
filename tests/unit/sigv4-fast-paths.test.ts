// The shortcuts of the SigV4 hot path must agree with the slow, obviously-correct paths they
// skip: canonical encoding without buffers, form decoding, the signing-key cache.
import { describe, expect, it } from "vitest";
import { canonicalizePath, canonicalizeQuery, deriveSigningKey, parseQuery } from "../../gateway/sigv4";
import { encodeBytes, percentDecodeBytes } from "../../gateway/sigv4/uri-encoding";
import { cachedSigningKey } from "../../gateway/sigv4/canonical-request";

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
});
