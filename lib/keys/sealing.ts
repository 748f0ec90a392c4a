/**
 * Secret sealing. SigV4 needs the plain secret on the server, so secrets are encrypted, never
 * hashed: AES-256-GCM with a versioned sealing key, so the key can rotate (seal with the
 * current version, still open older ones, re-seal in the background: needsReseal).
 *
 * Sealed format:  v<version>.<iv, 12 bytes, base64url>.<ciphertext + 16-byte tag, base64url>
 *
 * The caller's AAD (the access key id) is authenticated with the ciphertext, so a sealed secret
 * copied onto another key's row fails to open instead of silently granting that key's rights.
 * The version is part of the AAD too, and a fixed label separates these ciphertexts from any
 * other use of the same key. Errors never contain key material, plaintext or the sealed string.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

export type SealingKeyring = { current: number; keys: Map<number, Buffer /* 32 bytes */> };

export class SealingError extends Error {
  constructor(
    readonly reason: "config" | "malformed" | "unknown_version" | "auth_failed",
    message: string,
  ) {
    super(message);
    this.name = "SealingError";
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = "keygate.secret";
const B64URL = /^[A-Za-z0-9_-]+$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const B64URL_KEY = /^[A-Za-z0-9_-]{43}=?$/;

export function generateSealingKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Parses `KEYGATE_SEALING_KEYS="1:<base64 key>,2:<base64 key>"` (standard or url-safe base64,
 * 32 bytes each). The highest version is current. Messages name the entry by position and
 * version, never by content.
 */
export function parseSealingKeys(input: string, source = "KEYGATE_SEALING_KEYS"): SealingKeyring {
  const entries = (input ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw configError(source, "is empty; expected \"1:<base64 32-byte key>\"");
  const keys = new Map<number, Buffer>();
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) throw configError(source, `${where} has no "<version>:" prefix`);
    const versionText = entry.slice(0, colon).trim();
    if (!/^[1-9]\d{0,8}$/.test(versionText)) throw configError(source, `${where}: the version must be a positive integer`);
    const version = Number(versionText);
    if (keys.has(version)) throw configError(source, `version ${version} appears more than once`);
    keys.set(version, decodeKey(entry.slice(colon + 1).trim(), source, `${where} (version ${version})`));
  });
  return { current: Math.max(...keys.keys()), keys };
}

/** The inverse of parseSealingKeys: the text of a keyring file, or a value for the env. */
export function formatSealingKeys(keyring: SealingKeyring): string {
  return [...keyring.keys].sort(([a], [b]) => a - b).map(([v, k]) => `${v}:${k.toString("base64")}`).join(",");
}

export function sealSecret(keyring: SealingKeyring, plaintext: string, aad: string): string {
  const key = keyring.keys.get(keyring.current);
  if (!key) throw new SealingError("config", `The current sealing key version ${keyring.current} is not in the keyring`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aadFor(keyring.current, aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v${keyring.current}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function unsealSecret(keyring: SealingKeyring, sealed: string, aad: string): string {
  const { version, iv, body } = parseSealed(sealed);
  const key = keyring.keys.get(version);
  if (!key) {
    const known = [...keyring.keys.keys()].sort((a, b) => a - b).join(", ");
    throw new SealingError("unknown_version", `Sealed with key version ${version}, which is not configured (known versions: ${known})`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadFor(version, aad));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    return plain.toString("utf8");
  } catch {
    // GCM cannot tell these apart, and the message must not help anyone guess which.
    throw new SealingError("auth_failed", "Sealed secret failed authentication (wrong sealing key, wrong access key id, or tampered data)");
  }
}

/** True when the secret was sealed with an older key version and should be re-sealed. */
export function needsReseal(keyring: SealingKeyring, sealed: string): boolean {
  return parseSealed(sealed).version !== keyring.current;
}

/** Opens with whatever version sealed it and seals again with the current one. */
export function resealSecret(keyring: SealingKeyring, sealed: string, aad: string): string {
  return sealSecret(keyring, unsealSecret(keyring, sealed, aad), aad);
}

/**
 * Reads the keyring file, or creates it with one fresh key (the embedded default keeps it in
 * ./data). Created mode 0600 in a 0700 directory. The file is written to a temp name and then
 * hard-linked into place rather than renamed: link refuses to replace an existing file, so when
 * the web process and the gateway start together exactly one key wins and both read it; with a
 * rename the loser would seal with a key that is then overwritten. Rename is only the fallback
 * for filesystems without hard links.
 */
export async function loadOrCreateKeyringFile(file: string): Promise<SealingKeyring> {
  const existing = await readKeyringFile(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const text = formatSealingKeys({ current: 1, keys: new Map([[1, generateSealingKey()]]) });
  await writeFile(tmp, `${text}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") {
      await rename(tmp, file);
    } else if (code !== "EEXIST") {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }
  await unlink(tmp).catch(() => {});
  const created = await readKeyringFile(file);
  if (!created) throw new SealingError("config", `Sealing keyring file ${file} vanished after creation`);
  return created;
}

async function readKeyringFile(file: string): Promise<SealingKeyring | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  return parseSealingKeys(text, `Sealing keyring file ${file}`);
}

function decodeKey(text: string, source: string, where: string): Buffer {
  if (!text) throw configError(source, `${where} has an empty key`);
  if (!B64.test(text) && !B64URL_KEY.test(text)) throw configError(source, `${where}: the key is not valid base64`);
  const key = Buffer.from(text, B64.test(text) ? "base64" : "base64url");
  if (key.length !== KEY_BYTES) {
    throw configError(source, `${where}: the key must be ${KEY_BYTES} bytes, got ${key.length} (generate one with \`openssl rand -base64 32\`)`);
  }
  return key;
}

function parseSealed(sealed: string): { version: number; iv: Buffer; body: Buffer } {
  const parts = typeof sealed === "string" ? sealed.split(".") : [];
  const m = parts.length === 3 ? /^v([1-9]\d{0,8})$/.exec(parts[0]) : null;
  const iv = m ? strictBase64url(parts[1]) : null;
  const body = m ? strictBase64url(parts[2]) : null;
  if (!m || !iv || !body || iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new SealingError("malformed", "Sealed secret is malformed");
  }
  return { version: Number(m[1]), iv, body };
}

/** Rejects non-canonical encodings, so every changed character is a changed byte. */
function strictBase64url(text: string): Buffer | null {
  if (!B64URL.test(text)) return null;
  const buf = Buffer.from(text, "base64url");
  return buf.toString("base64url") === text ? buf : null;
}

function aadFor(version: number, aad: string): Buffer {
  return Buffer.from(`${AAD_LABEL}\0v${version}\0${aad}`, "utf8");
}

function configError(source: string, problem: string): SealingError {
  return new SealingError("config", `${source} ${problem}`);
}
