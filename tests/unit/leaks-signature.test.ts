import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../lib/env";
import { parseScanningKeys, verifyScanningSignature } from "../../lib/leaks/github-signature";

const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const pem = ec.publicKey.export({ type: "spki", format: "pem" }) as string;
const body = Buffer.from('[{"token":"kgs_x","type":"t","url":"","source":"content"}]');
const sig = sign("sha256", body, ec.privateKey).toString("base64");

describe("GitHub secret-scanning signatures", () => {
  it("accepts GitHub's key list as published, or a plain list", () => {
    expect([...parseScanningKeys(JSON.stringify({ public_keys: [{ key_identifier: "a", key: pem, is_current: true }] })).keys()]).toEqual(["a"]);
    expect([...parseScanningKeys(JSON.stringify([{ key_identifier: "a", key: pem }, { key_identifier: "b", key: pem }])).keys()]).toEqual(["a", "b"]);
  });

  it("refuses configurations that cannot verify anything, naming the entry but never the key", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    expect(() => parseScanningKeys("not json")).toThrow(/must be JSON/);
    expect(() => parseScanningKeys("[]")).toThrow(/list of/);
    expect(() => parseScanningKeys(JSON.stringify([{ key_identifier: "a", key: "garbage" }]))).toThrow(/entry 1 \(a\): the key is not a PEM public key/);
    expect(() => parseScanningKeys(JSON.stringify([{ key_identifier: "r", key: rsa }]))).toThrow(/P-256/);
    expect(() => parseScanningKeys(JSON.stringify([{ key_identifier: "p", key: p384 }]))).toThrow(/P-256/);
  });

  it("verifies ECDSA P-256 SHA-256 over the raw body, and nothing else", () => {
    const keys = parseScanningKeys(JSON.stringify([{ key_identifier: "a", key: pem }]));
    expect(verifyScanningSignature(keys, "a", sig, body)).toBe(true);
    expect(verifyScanningSignature(keys, "b", sig, body)).toBe(false);
    expect(verifyScanningSignature(keys, "a", sig, Buffer.concat([body, Buffer.from(" ")]))).toBe(false);
    expect(verifyScanningSignature(keys, "a", null, body)).toBe(false);
    expect(verifyScanningSignature(keys, "a", "not base64!", body)).toBe(false);
    expect(verifyScanningSignature(keys, "a", Buffer.from("short").toString("base64"), body)).toBe(false);
  });

  it("is configured through the environment, a bad value naming the variable", () => {
    expect(parseEnv({ KEYGATE_SECRET_SCANNING_KEYS: JSON.stringify([{ key_identifier: "a", key: pem }]) }).KEYGATE_SECRET_SCANNING_KEYS?.size).toBe(1);
    expect(parseEnv({}).KEYGATE_SECRET_SCANNING_KEYS).toBeUndefined();
    expect(parseEnv({}).KEYGATE_LEAKED_KEY_ACTION).toBe("disable");
    expect(() => parseEnv({ KEYGATE_SECRET_SCANNING_KEYS: "[1]" })).toThrow(/KEYGATE_SECRET_SCANNING_KEYS/);
    expect(() => parseEnv({ KEYGATE_LEAKED_KEY_ACTION: "delete" })).toThrow(/KEYGATE_LEAKED_KEY_ACTION/);
  });
});
