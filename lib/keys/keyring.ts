import { getEnv } from "../env";
import { generateAccessKeyId, generateSecret, secretLast4 } from "./material";
import { parseSealingKeys, sealSecret, unsealSecret, type SealingKeyring } from "./sealing";

let keyring: SealingKeyring | undefined;

/** The process's sealing keys (KEYGATE_SEALING_KEYS; npm start generates them into ./data). */
export function getKeyring(): SealingKeyring {
  if (!keyring) {
    const raw = getEnv().KEYGATE_SEALING_KEYS;
    if (!raw) throw new Error("KEYGATE_SEALING_KEYS is not set (npm start sets it from the data directory)");
    keyring = parseSealingKeys(raw);
  }
  return keyring;
}

/** For tests and the CLI, which pass their own keys. */
export function setKeyring(k: SealingKeyring): void {
  keyring = k;
}

/** A fresh access key id + secret, the secret sealed and bound to its access key id. */
export function newKeyMaterial(accessKeyId = generateAccessKeyId()) {
  const secret = generateSecret();
  return { accessKeyId, secret, sealedSecret: sealSecret(getKeyring(), secret, accessKeyId), last4: secretLast4(secret) };
}

/** An imported id + secret, the secret sealed and bound to its id like every other secret. */
export function importedKeyMaterial(accessKeyId: string, secret: string) {
  return { accessKeyId, secret, sealedSecret: sealSecret(getKeyring(), secret, accessKeyId), last4: secretLast4(secret) };
}

export function unsealKeySecret(key: { accessKeyId: string; sealedSecret: string }): string {
  return unsealSecret(getKeyring(), key.sealedSecret, key.accessKeyId);
}
