/**
 * Key material formats. Both strings are recognizable by pattern so a leaked one can be found,
 * and the secret carries a checksum so a scanner can tell a real secret from look-alike noise
 * offline, without calling us (GitHub's token format works the same way).
 *
 * Access key id — 20 characters, like an AWS id:
 *   "KG" + 18 characters of RFC 4648 base32 (A-Z, 2-7), 90 random bits.
 *   Only [A-Z0-9], so it is safe inside a SigV4 `Credential=<id>/<date>/...` field.
 *   Scanner regex:  /\bKG[A-Z2-7]{18}\b/
 *
 * Secret — 42 characters:
 *   "kgs_" + 32 base62 characters (~190.5 random bits) + 6 base62 characters of checksum,
 *   the CRC-32 of the 32-character body, big-endian base62, zero-padded ("0" digits).
 *   Scanner regex:  /\bkgs_[0-9A-Za-z]{38}\b/   then isValidSecretChecksum() on each match.
 *
 * CRC-32 is not a security measure (the randomness is); it only lets a scanner drop false
 * positives. It detects every single-character change: a changed body character is a burst
 * error of at most 8 bits (CRC-32 catches all bursts up to 32 bits), and the fixed-width
 * base62 encoding of the checksum is one-to-one, so a changed checksum digit never matches.
 */
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export const ACCESS_KEY_ID_PREFIX = "KG";
export const SECRET_PREFIX = "kgs_";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_RANDOM_CHARS = 18;
/** 32 × log2(62) ≈ 190.5 bits: comfortably over 160 even though the UI shows the last 4. */
export const SECRET_BODY_CHARS = 32;
const CHECKSUM_CHARS = 6; // 62^6 ≈ 5.7e10 > 2^32, so every CRC-32 fits

export const ACCESS_KEY_ID_PATTERN = /^KG[A-Z2-7]{18}$/;
export const SECRET_PATTERN = /^kgs_[0-9A-Za-z]{38}$/;
/** For scanning free text (logs, repositories): global, word-bounded. */
export const SECRET_SCAN_PATTERN = /\bkgs_[0-9A-Za-z]{38}\b/g;
export const ACCESS_KEY_ID_SCAN_PATTERN = /\bKG[A-Z2-7]{18}\b/g;

export function generateAccessKeyId(): string {
  // 256 is a multiple of 32, so taking the low 5 bits of each byte is unbiased.
  const bytes = randomBytes(ID_RANDOM_CHARS);
  let out = ACCESS_KEY_ID_PREFIX;
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

export function generateSecret(): string {
  const body = randomBase62(SECRET_BODY_CHARS);
  return SECRET_PREFIX + body + checksumOf(body);
}

export function isAccessKeyIdFormat(s: string): boolean {
  return typeof s === "string" && ACCESS_KEY_ID_PATTERN.test(s);
}

/** True only for a well-formed secret whose checksum matches its body. Pure and offline. */
export function isValidSecretChecksum(s: string): boolean {
  if (typeof s !== "string" || !SECRET_PATTERN.test(s)) return false;
  const body = s.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + SECRET_BODY_CHARS);
  return s.slice(SECRET_PREFIX.length + SECRET_BODY_CHARS) === checksumOf(body);
}

/** The display fragment kept next to the sealed secret ("…a1B2"). */
export function secretLast4(s: string): string {
  if (typeof s !== "string" || s.length < 8) throw new Error("secretLast4 needs a full secret");
  return s.slice(-4);
}

/** Uniform base62 by rejection sampling: bytes ≥ 248 (= 4 × 62) would bias the low digits. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= 248) continue;
      out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function checksumOf(body: string): string {
  let n = crc32(Buffer.from(body, "ascii"));
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
