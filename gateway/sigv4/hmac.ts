import { createHmac, hash, timingSafeEqual } from "node:crypto";

// HMAC-SHA256 (RFC 2104) for the per-request signature, built on node's one-shot crypto.hash:
// createHmac builds a native Hmac object per call, which costs several times the two SHA-256
// compressions of a short string-to-sign, and every request signs one. The construction is
// H((K ^ opad) || H((K ^ ipad) || m)); the two padded keys are computed once per signing key
// (which stays the same for a key all day) and the hashing itself is OpenSSL's, so nothing
// cryptographic is written here. tests/unit/sigv4-hmac.test.ts checks it against createHmac.

const BLOCK = 64;
const DIGEST = 32;

type Pads = { inner: Buffer; outer: Buffer };
const padsByKey = new WeakMap<Uint8Array, Pads>();

function padsOf(key: Uint8Array): Pads {
  let pads = padsByKey.get(key);
  if (pads === undefined) {
    const inner = Buffer.alloc(BLOCK, 0x36);
    const outer = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < key.length; i++) {
      inner[i] ^= key[i];
      outer[i] ^= key[i];
    }
    pads = { inner, outer };
    padsByKey.set(key, pads);
  }
  return pads;
}

/** Reused for every call (crypto.hash is synchronous, so no call can see another's bytes). */
const scratch = Buffer.allocUnsafe(BLOCK + 2048);
/** The outer hash's input, (K ^ opad) || inner digest: always the first 96 bytes of scratch. */
const outerInput = scratch.subarray(0, BLOCK + DIGEST);

/** Lower-case hex HMAC-SHA256 of `message` (UTF-8) under `key`. */
export function hmacSha256Hex(key: Uint8Array, message: string): string {
  // Longer keys would first be hashed (RFC 2104); signing keys are 32 bytes, this is for safety.
  if (key.length > BLOCK) return createHmac("sha256", key).update(message, "utf8").digest("hex");
  const pads = padsOf(key);
  const room = BLOCK + message.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
  const buf = room <= scratch.length ? scratch : Buffer.allocUnsafe(room);
  pads.inner.copy(buf, 0);
  const length = BLOCK + buf.write(message, BLOCK, "utf8");
  const inner = hash("sha256", buf.subarray(0, length), "binary");
  pads.outer.copy(scratch, 0);
  scratch.write(inner, BLOCK, "latin1");
  return hash("sha256", outerInput, "hex");
}

const compare = Buffer.allocUnsafe(128);
const compareExpected = compare.subarray(0, 64);
const compareProvided = compare.subarray(64, 128);

/**
 * Constant-time comparison of two hex signatures. Both are validated as 64 lower-case hex
 * characters before reaching this point, so the length check leaks nothing secret.
 */
export function signaturesEqual(expected: string, provided: string): boolean {
  if (expected.length !== 64 || provided.length !== 64) return false;
  compareExpected.write(expected, 0, "latin1");
  compareProvided.write(provided, 0, "latin1");
  return timingSafeEqual(compareExpected, compareProvided);
}
