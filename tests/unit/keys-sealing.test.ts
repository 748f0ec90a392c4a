import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  SealingError,
  formatSealingKeys,
  generateSealingKey,
  loadOrCreateKeyringFile,
  needsReseal,
  parseSealingKeys,
  resealSecret,
  sealSecret,
  unsealSecret,
  type SealingKeyring,
} from "../../lib/keys/sealing";

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);
const ring = (entries: [number, Buffer][]): SealingKeyring => ({
  current: Math.max(...entries.map(([v]) => v)),
  keys: new Map(entries),
});
const SECRET = "kgs_0123456789abcdefghijABCDEFGHIJklmnop";
const AAD = "KGAAAAAAAAAAAAAAAAAA";

function sealingError(fn: () => unknown): SealingError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealingError);
    const e = err as SealingError;
    expect(e.message).not.toContain(SECRET);
    return e;
  }
  throw new Error("expected a SealingError");
}

/** Flips one bit of byte `i` in a dot-separated base64url part of a sealed string. */
function flip(sealed: string, part: 1 | 2, i: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[i] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("parseSealingKeys", () => {
  it("parses one or more versions; the highest is current", () => {
    const k = parseSealingKeys(`1:${K1.toString("base64")}`);
    expect(k.current).toBe(1);
    expect(k.keys.get(1)).toEqual(K1);
    const two = parseSealingKeys(` 2:${K2.toString("base64")} ,\n1:${K1.toString("base64url")}\n`);
    expect(two.current).toBe(2);
    expect(two.keys.get(1)).toEqual(K1);
    expect(two.keys.get(2)).toEqual(K2);
  });

  it("round-trips through formatSealingKeys", () => {
    const k = ring([[1, K1], [7, K2]]);
    expect(parseSealingKeys(formatSealingKeys(k))).toEqual(k);
  });

  const bad: [string, string, RegExp][] = [
    ["empty", "", /empty/],
    ["only commas", " , ,", /empty/],
    ["no version", K1.toString("base64"), /entry 1 has no "<version>:" prefix/],
    ["version zero", `0:${K1.toString("base64")}`, /entry 1: the version must be a positive integer/],
    ["negative version", `-1:${K1.toString("base64")}`, /positive integer/],
    ["letter version", `a:${K1.toString("base64")}`, /positive integer/],
    ["leading zero", `01:${K1.toString("base64")}`, /positive integer/],
    ["duplicate", `1:${K1.toString("base64")},1:${K2.toString("base64")}`, /version 1 appears more than once/],
    ["empty key", "1:", /entry 1 \(version 1\) has an empty key/],
    ["not base64", `1:${"!".repeat(44)}`, /not valid base64/],
    ["16 bytes", `1:${Buffer.alloc(16, 9).toString("base64")}`, /must be 32 bytes, got 16/],
    ["33 bytes", `1:${Buffer.alloc(33, 9).toString("base64")}`, /must be 32 bytes, got 33/],
    ["second entry bad", `1:${K1.toString("base64")},2:${Buffer.alloc(31, 7).toString("base64")}`, /entry 2 \(version 2\)/],
  ];
  it.each(bad)("refuses %s with a clear message that never echoes key material", (_name, input, message) => {
    const e = sealingError(() => parseSealingKeys(input));
    expect(e.reason).toBe("config");
    expect(e.message).toMatch(/^KEYGATE_SEALING_KEYS /);
    expect(e.message).toMatch(message);
    const keyText = input.split(",").map((x) => x.split(":")[1]).filter((x) => x && x.length > 4);
    for (const t of keyText) expect(e.message).not.toContain(t);
  });
});

describe("seal / unseal", () => {
  const k = ring([[1, K1]]);

  it("round-trips and has the documented shape", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(unsealSecret(k, sealed, AAD)).toBe(SECRET);
    expect(unsealSecret(k, sealSecret(k, "", AAD), AAD)).toBe("");
    expect(unsealSecret(k, sealSecret(k, "ünïcödé ✓", AAD), AAD)).toBe("ünïcödé ✓");
  });

  it("uses a fresh IV each time", () => {
    const a = sealSecret(k, SECRET, AAD);
    const b = sealSecret(k, SECRET, AAD);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
    expect(a).not.toBe(b);
  });

  it("detects a flipped bit in every byte of the IV, ciphertext and tag", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    const ivLen = Buffer.from(sealed.split(".")[1], "base64url").length;
    const bodyLen = Buffer.from(sealed.split(".")[2], "base64url").length;
    expect(ivLen).toBe(12);
    expect(bodyLen).toBe(Buffer.byteLength(SECRET) + 16);
    for (let i = 0; i < ivLen; i++) expect(sealingError(() => unsealSecret(k, flip(sealed, 1, i), AAD)).reason).toBe("auth_failed");
    for (let i = 0; i < bodyLen; i++) expect(sealingError(() => unsealSecret(k, flip(sealed, 2, i), AAD)).reason).toBe("auth_failed");
  });

  it("detects every changed character of the sealed string", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    for (let i = 0; i < sealed.length; i++) {
      const c = sealed[i] === "A" ? "B" : "A";
      const changed = sealed.slice(0, i) + c + sealed.slice(i + 1);
      expect(() => unsealSecret(k, changed, AAD), `position ${i}`).toThrow(SealingError);
    }
  });

  it("refuses a non-canonical encoding that decodes to the same bytes", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = sealed[sealed.length - 1];
    // 58 body bytes: the last character carries 2 bits and 4 unused ones; flip an unused bit.
    const twin = sealed.slice(0, -1) + B64URL[B64URL.indexOf(last) ^ 1];
    expect(Buffer.from(twin.split(".")[2], "base64url").equals(Buffer.from(sealed.split(".")[2], "base64url"))).toBe(true);
    expect(sealingError(() => unsealSecret(k, twin, AAD)).reason).toBe("malformed");
  });

  it("refuses the wrong AAD: a sealed secret cannot move to another key", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    expect(sealingError(() => unsealSecret(k, sealed, "KGBBBBBBBBBBBBBBBBBB")).reason).toBe("auth_failed");
    expect(sealingError(() => unsealSecret(k, sealed, "")).reason).toBe("auth_failed");
  });

  it("refuses the wrong key under the same version", () => {
    const sealed = sealSecret(k, SECRET, AAD);
    expect(sealingError(() => unsealSecret(ring([[1, K2]]), sealed, AAD)).reason).toBe("auth_failed");
  });

  it("refuses an unknown version, naming the version only", () => {
    const sealed = sealSecret(ring([[3, K2]]), SECRET, AAD);
    const e = sealingError(() => unsealSecret(k, sealed, AAD));
    expect(e.reason).toBe("unknown_version");
    expect(e.message).toMatch(/version 3.*known versions: 1/);
    expect(e.message).not.toContain(sealed);
  });

  it("binds the version: relabelling v1 as v2 fails even when v2 holds the same key", () => {
    const both = ring([[1, K1], [2, K1]]);
    const sealed = sealSecret(ring([[1, K1]]), SECRET, AAD);
    expect(sealingError(() => unsealSecret(both, sealed.replace(/^v1\./, "v2."), AAD)).reason).toBe("auth_failed");
  });

  it.each([
    ["empty", ""],
    ["two parts", "v1.AAAAAAAAAAAAAAAA"],
    ["bad version tag", "x1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["version zero", "v0.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["short iv", "v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["body shorter than a tag", "v1.AAAAAAAAAAAAAAAA.AAAA"],
    ["standard base64 characters", "v1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA"],
    ["padding", "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA=="],
    ["four parts", "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x"],
  ])("refuses a malformed sealed string (%s)", (_name, sealed) => {
    expect(sealingError(() => unsealSecret(k, sealed, AAD)).reason).toBe("malformed");
  });
});

describe("rotation", () => {
  it("needsReseal is true for older versions; resealSecret moves to the current one", () => {
    const old = ring([[1, K1]]);
    const rotated = ring([[1, K1], [2, K2]]);
    const sealed = sealSecret(old, SECRET, AAD);
    expect(needsReseal(old, sealed)).toBe(false);
    expect(needsReseal(rotated, sealed)).toBe(true);
    expect(unsealSecret(rotated, sealed, AAD)).toBe(SECRET);
    const resealed = resealSecret(rotated, sealed, AAD);
    expect(resealed).toMatch(/^v2\./);
    expect(needsReseal(rotated, resealed)).toBe(false);
    expect(unsealSecret(rotated, resealed, AAD)).toBe(SECRET);
    expect(sealingError(() => unsealSecret(old, resealed, AAD)).reason).toBe("unknown_version");
  });

  it("needsReseal throws on a malformed value instead of guessing", () => {
    expect(sealingError(() => needsReseal(ring([[1, K1]]), "garbage")).reason).toBe("malformed");
  });

  it("generateSealingKey gives distinct 32-byte keys", () => {
    const a = generateSealingKey();
    expect(a).toHaveLength(32);
    expect(a.equals(generateSealingKey())).toBe(false);
  });
});

describe("loadOrCreateKeyringFile", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const d = await mkdtemp(path.join(tmpdir(), "keygate-sealing-"));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("creates the file (mode 0600, parent directory included) and reads the same keys back", async () => {
    const file = path.join(await tempDir(), "nested", "data", "sealing-keys");
    const created = await loadOrCreateKeyringFile(file);
    expect(created.current).toBe(1);
    expect(created.keys.get(1)).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseSealingKeys(await readFile(file, "utf8"))).toEqual(created);
    expect(await loadOrCreateKeyringFile(file)).toEqual(created);
    expect(await readdir(path.dirname(file))).toEqual(["sealing-keys"]);
  });

  it("gives every concurrent caller the same key", async () => {
    const file = path.join(await tempDir(), "sealing-keys");
    const rings = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyringFile(file)));
    for (const r of rings) expect(r).toEqual(rings[0]);
    expect(await readdir(path.dirname(file))).toEqual(["sealing-keys"]);
  });

  it("reads an existing file in the env format and refuses a broken one without echoing it", async () => {
    const dir = await tempDir();
    const good = path.join(dir, "good");
    await writeFile(good, `1:${K1.toString("base64")},2:${K2.toString("base64")}\n`);
    expect((await loadOrCreateKeyringFile(good)).current).toBe(2);
    const broken = path.join(dir, "broken");
    const content = `1:${Buffer.alloc(20, 5).toString("base64")}`;
    await writeFile(broken, content);
    const err = await loadOrCreateKeyringFile(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealingError);
    expect((err as Error).message).toContain(broken);
    expect((err as Error).message).toMatch(/32 bytes, got 20/);
    expect((err as Error).message).not.toContain(content.slice(2));
  });
});
