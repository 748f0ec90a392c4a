// Where the sealing keys come from, exactly as `npm start` decides: KEYGATE_SEALING_KEYS when set,
// otherwise the keyring file <dataDir>/sealing-keys (created on first use, mode 0600).
import { randomBytes } from "node:crypto";
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { Env } from "../lib/env";
import { setKeyring } from "../lib/keys/keyring";
import { formatSealingKeys, loadOrCreateKeyringFile, parseSealingKeys, SealingError, type SealingKeyring } from "../lib/keys/sealing";
import { CliError } from "./command";

export type KeyringSource =
  | { kind: "env"; label: string; keyring: SealingKeyring }
  | { kind: "file"; label: string; path: string; keyring: SealingKeyring; modifiedAt: Date };

export const keyringFilePath = (env: Env) => path.join(env.dataDir, "sealing-keys");

/**
 * Loads the keyring and makes it the process's keyring for lib/keys. `create`: generate the file
 * when missing (as npm start does); without it a missing file is an error.
 */
export async function loadKeyringSource(env: Env, opts: { create: boolean }): Promise<KeyringSource> {
  try {
    const source = await readSource(env, opts.create);
    setKeyring(source.keyring);
    return source;
  } catch (err) {
    if (err instanceof SealingError) throw new CliError(err.message);
    throw err;
  }
}

async function readSource(env: Env, create: boolean): Promise<KeyringSource> {
  if (env.KEYGATE_SEALING_KEYS) {
    return { kind: "env", label: "KEYGATE_SEALING_KEYS", keyring: parseSealingKeys(env.KEYGATE_SEALING_KEYS) };
  }
  const file = keyringFilePath(env);
  let keyring: SealingKeyring;
  if (create) {
    keyring = await loadOrCreateKeyringFile(file);
  } else {
    const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") {
        throw new CliError(`No sealing keys: KEYGATE_SEALING_KEYS is not set and ${file} does not exist (npm start creates it).`);
      }
      throw err;
    });
    keyring = parseSealingKeys(text, `Sealing keyring file ${file}`);
  }
  return { kind: "file", label: file, path: file, keyring, modifiedAt: (await stat(file)).mtime };
}

/**
 * Replaces the keyring file atomically: readers see the old keyring or the new one, never a torn
 * file. Written to a temp file (0600), flushed, then renamed over the original.
 */
export async function writeKeyringFile(file: string, keyring: SealingKeyring): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(`${formatSealingKeys(keyring)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // Make the rename itself durable before any secret is sealed with the new key.
  const dir = await open(path.dirname(file), "r").catch(() => null);
  await dir?.sync().catch(() => {});
  await dir?.close();
}

export function describeKeyring(keyring: SealingKeyring): string {
  const versions = [...keyring.keys.keys()].sort((a, b) => a - b);
  return `version${versions.length > 1 ? "s" : ""} ${versions.join(", ")}; current ${keyring.current}`;
}
