import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex, signaturesEqual } from "../../gateway/sigv4/hmac";

const reference = (key: Uint8Array, message: string) => createHmac("sha256", key).update(message, "utf8").digest("hex");

describe("hmacSha256Hex (one-shot hashes with cached pads)", () => {
  it("equals createHmac for signing keys and strings-to-sign of every length", () => {
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(32);
      const message = randomBytes(i * 7).toString("base64").slice(0, i * 7);
      expect(hmacSha256Hex(key, message)).toBe(reference(key, message));
      expect(hmacSha256Hex(key, message)).toBe(reference(key, message)); // with the cached pads
    }
  });

  it("handles keys of any length (longer than a block: hashed first) and non-ASCII and long messages", () => {
    for (const length of [0, 1, 31, 63, 64, 65, 100]) {
      const key = randomBytes(length);
      expect(hmacSha256Hex(key, "AWS4-HMAC-SHA256\n20240101T000000Z")).toBe(reference(key, "AWS4-HMAC-SHA256\n20240101T000000Z"));
    }
    const key = randomBytes(32);
    for (const message of ["é€😀 x", "ü".repeat(5000), "a".repeat(70_000)]) expect(hmacSha256Hex(key, message)).toBe(reference(key, message));
  });

  it("a different key with the same message gives a different MAC (no stale pads)", () => {
    const a = randomBytes(32);
    const b = Buffer.from(a);
    b[0] ^= 1;
    expect(hmacSha256Hex(a, "m")).not.toBe(hmacSha256Hex(b, "m"));
    expect(hmacSha256Hex(b, "m")).toBe(reference(b, "m"));
  });
});

describe("signaturesEqual", () => {
  const sig = "a".repeat(63) + "b";
  it("accepts only the identical 64-character signature", () => {
    expect(signaturesEqual(sig, sig)).toBe(true);
    expect(signaturesEqual(sig, "a".repeat(64))).toBe(false);
    expect(signaturesEqual(sig, sig.slice(1))).toBe(false);
    expect(signaturesEqual(sig, sig + "0")).toBe(false);
    expect(signaturesEqual(sig, "")).toBe(false);
  });
});
