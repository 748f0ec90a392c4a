import { describe, expect, it } from "vitest";
import {
  ACCESS_KEY_ID_SCAN_PATTERN,
  SECRET_SCAN_PATTERN,
  generateAccessKeyId,
  generateSecret,
  isAccessKeyIdFormat,
  isValidSecretChecksum,
  secretLast4,
} from "../../lib/keys/material";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An independent bitwise CRC-32 (IEEE), so the test pins the documented algorithm, not zlib. */
function crc32Reference(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "ascii")) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function base62Fixed6(n: number): string {
  let out = "";
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

describe("access key id", () => {
  it("is KG + 18 base32 characters, 20 in all, safe in a SigV4 Credential field", () => {
    for (let i = 0; i < 200; i++) {
      const id = generateAccessKeyId();
      expect(id).toMatch(/^KG[A-Z2-7]{18}$/);
      expect(id).toHaveLength(20);
      expect(id).toMatch(/^[A-Z0-9]+$/);
      expect(isAccessKeyIdFormat(id)).toBe(true);
    }
  });

  it("is unique over many draws and uses the whole alphabet", () => {
    const ids = Array.from({ length: 5000 }, generateAccessKeyId);
    expect(new Set(ids).size).toBe(ids.length);
    const chars = new Set(ids.flatMap((id) => [...id.slice(2)]));
    expect([...chars].sort().join("")).toBe("234567ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  });

  it("refuses any single character changed to one outside the format, and wrong lengths or prefixes", () => {
    const id = generateAccessKeyId();
    for (let i = 0; i < id.length; i++) {
      for (const bad of ["a", "0", "1", "8", "/", "=", " ", "-"]) {
        expect(isAccessKeyIdFormat(id.slice(0, i) + bad + id.slice(i + 1)), `${i}:${bad}`).toBe(false);
      }
    }
    expect(isAccessKeyIdFormat(id.slice(0, 19))).toBe(false);
    expect(isAccessKeyIdFormat(`${id}A`)).toBe(false);
    expect(isAccessKeyIdFormat(`AK${id.slice(2)}`)).toBe(false);
    expect(isAccessKeyIdFormat(id.toLowerCase())).toBe(false);
  });
});

describe("secret", () => {
  it("is kgs_ + 32 base62 + 6 base62 checksum", () => {
    const s = generateSecret();
    expect(s).toMatch(/^kgs_[0-9A-Za-z]{38}$/);
    expect(s).toHaveLength(42);
  });

  it("carries at least 160 bits of randomness", () => {
    const s = generateSecret();
    const randomChars = s.length - "kgs_".length - 6;
    expect(randomChars * Math.log2(62)).toBeGreaterThanOrEqual(160);
    // Even with the displayed last 4 characters known, the body keeps ≥ 160 bits.
    expect((randomChars - 4) * Math.log2(62)).toBeGreaterThanOrEqual(160);
  });

  it("is unique over many draws", () => {
    const secrets = Array.from({ length: 10_000 }, generateSecret);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it("draws body characters uniformly (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      for (const c of generateSecret().slice(4, 36)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (10_000 * 32) / 62;
    for (const [c, n] of counts) expect(Math.abs(n - expected) / expected, c).toBeLessThan(0.1);
  });

  it("has a checksum that is CRC-32 of the body, base62, width 6", () => {
    for (let i = 0; i < 100; i++) {
      const s = generateSecret();
      expect(s.slice(36)).toBe(base62Fixed6(crc32Reference(s.slice(4, 36))));
      expect(isValidSecretChecksum(s)).toBe(true);
    }
    const body = "0".repeat(32);
    expect(isValidSecretChecksum(`kgs_${body}${base62Fixed6(crc32Reference(body))}`)).toBe(true);
  });

  it("detects every single-character change, in the body and in the checksum", () => {
    for (let round = 0; round < 3; round++) {
      const s = generateSecret();
      for (let i = 4; i < s.length; i++) {
        for (const c of BASE62) {
          if (c === s[i]) continue;
          expect(isValidSecretChecksum(s.slice(0, i) + c + s.slice(i + 1)), `${i}:${c}`).toBe(false);
        }
      }
    }
  });

  it("refuses a changed prefix, wrong lengths and non-strings", () => {
    const s = generateSecret();
    for (let i = 0; i < 4; i++) expect(isValidSecretChecksum(`${s.slice(0, i)}X${s.slice(i + 1)}`)).toBe(false);
    expect(isValidSecretChecksum(s.slice(0, -1))).toBe(false);
    expect(isValidSecretChecksum(`${s}0`)).toBe(false);
    expect(isValidSecretChecksum(s.slice(4))).toBe(false);
    expect(isValidSecretChecksum(undefined as unknown as string)).toBe(false);
  });

  it("scanner patterns find keys in free text", () => {
    const id = generateAccessKeyId();
    const s = generateSecret();
    const text = `aws_access_key_id=${id}\naws_secret_access_key = "${s}" # oops`;
    expect(text.match(ACCESS_KEY_ID_SCAN_PATTERN)).toEqual([id]);
    expect(text.match(SECRET_SCAN_PATTERN)).toEqual([s]);
  });

  it("secretLast4 is the display fragment", () => {
    const s = generateSecret();
    expect(secretLast4(s)).toBe(s.slice(-4));
    expect(secretLast4(s)).toHaveLength(4);
    expect(() => secretLast4("abc")).toThrow();
  });
});
