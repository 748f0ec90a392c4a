// Signature check of GitHub's secret-scanning partner reports: GitHub signs the raw request
// body with ECDSA P-256 / SHA-256 and names the key in `Github-Public-Key-Identifier`; the
// DER signature comes base64 encoded in `Github-Public-Key-Signature`. GitHub publishes its
// keys at https://api.github.com/meta/public_keys/secret_scanning; this machine cannot fetch
// them at run time (offline installs), so the operator configures them
// (KEYGATE_SECRET_SCANNING_KEYS, docs/secret-scanning.md) and updates them when GitHub rotates.
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { z } from "zod";

export type ScanningKeys = Map<string, KeyObject>;

const entrySchema = z.object({ key_identifier: z.string().min(1).max(256), key: z.string().min(1).max(8192) });
/** GitHub's own response ({ public_keys: [...] }) pasted as is, or just its list. */
const keysSchema = z.union([z.object({ public_keys: z.array(entrySchema).min(1) }), z.array(entrySchema).min(1)]);

/** Parses the configured keys; throws an Error naming the problem (never the key material). */
export function parseScanningKeys(text: string): ScanningKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('must be JSON: [{"key_identifier":"…","key":"-----BEGIN PUBLIC KEY-----\\n…"}] or GitHub\'s {"public_keys":[…]}');
  }
  const parsed = keysSchema.safeParse(json);
  if (!parsed.success) throw new Error('must be a list of {"key_identifier","key"} (PEM public keys)');
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.public_keys;
  const keys: ScanningKeys = new Map();
  for (const [i, e] of entries.entries()) {
    let key: KeyObject;
    try {
      key = createPublicKey(e.key);
    } catch {
      throw new Error(`entry ${i + 1} (${e.key_identifier}): the key is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw new Error(`entry ${i + 1} (${e.key_identifier}): expected an ECDSA P-256 public key`);
    }
    keys.set(e.key_identifier, key);
  }
  return keys;
}

/**
 * True when `signature` (base64 DER) is a valid ECDSA P-256 SHA-256 signature of the raw body
 * by the configured key `identifier`. Unknown identifiers and malformed input are simply false.
 */
export function verifyScanningSignature(keys: ScanningKeys, identifier: string | null, signature: string | null, body: Buffer): boolean {
  if (!identifier || !signature || signature.length > 512) return false;
  const key = keys.get(identifier);
  if (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
