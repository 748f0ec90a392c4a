// Payload verifier: x-amz-content-sha256, Content-MD5 and x-amz-checksum-* over streamed bodies.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  PayloadError,
  checksumsFromHeaders,
  createPayloadVerifier,
  getComputedChecksums,
  type ChecksumValues,
} from "../../gateway/sigv4/index";
import { runStream, splits } from "./sigv4-test-helpers";

const BODY = Buffer.from("123456789");
const b64 = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest("base64");
const crc = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out.toString("base64");
};
// Standard check values for "123456789": CRC-32 0xCBF43926, CRC-32C 0xE3069283.
const EXPECTED: Required<ChecksumValues> = {
  crc32: crc(0xcbf43926),
  crc32c: crc(0xe3069283),
  sha1: b64("sha1", BODY),
  sha256: b64("sha256", BODY),
};
const SHA256_HEX = createHash("sha256").update(BODY).digest("hex");

describe("payload verifier", () => {
  it("passes a matching body through for every split point and reports the checksums", async () => {
    expect(crc(crc32(BODY))).toBe(EXPECTED.crc32);
    for (const pieces of splits(BODY)) {
      const verifier = createPayloadVerifier({ sha256Hex: SHA256_HEX, contentMd5Base64: b64("md5", BODY), checksums: EXPECTED });
      const result = await runStream([verifier], pieces);
      expect(result.error).toBeUndefined();
      expect(result.output.equals(BODY)).toBe(true);
      expect(getComputedChecksums(verifier)).toEqual(EXPECTED);
      expect(verifier.computed).toMatchObject({ sha256Hex: SHA256_HEX, md5: b64("md5", BODY) });
    }
  });

  it("fails XAmzContentSHA256Mismatch on a body that does not match x-amz-content-sha256", async () => {
    const result = await runStream([createPayloadVerifier({ sha256Hex: SHA256_HEX })], [Buffer.from("123456780")]);
    expect(result.error).toBeInstanceOf(PayloadError);
    expect(result.error).toMatchObject({ code: "XAmzContentSHA256Mismatch", status: 400 });
    expect(result.output.length).toBeLessThan(9); // the tail is held back until verified
    expect(result.ended).toBe(false);
  });

  it("fails BadDigest for a Content-MD5 mismatch and InvalidDigest for a malformed one", async () => {
    const wrong = await runStream([createPayloadVerifier({ contentMd5Base64: b64("md5", Buffer.from("x")) })], [BODY]);
    expect(wrong.error).toMatchObject({ code: "BadDigest", status: 400 });
    for (const bad of ["not base64!", "AAAA", b64("sha1", BODY)]) {
      expect(() => createPayloadVerifier({ contentMd5Base64: bad })).toThrow(expect.objectContaining({ code: "InvalidDigest", status: 400 }));
    }
  });

  it("fails BadDigest for each x-amz-checksum-* algorithm on mismatch", async () => {
    for (const algorithm of ["crc32", "crc32c", "sha1", "sha256"] as const) {
      const checksums = { [algorithm]: EXPECTED[algorithm] };
      const good = await runStream([createPayloadVerifier({ checksums })], [BODY]);
      expect(good.error, algorithm).toBeUndefined();
      const bad = await runStream([createPayloadVerifier({ checksums })], [Buffer.from("123456788")]);
      expect(bad.error, algorithm).toMatchObject({ code: "BadDigest", status: 400 });
    }
  });

  it("rejects malformed checksum values up front", () => {
    expect(() => createPayloadVerifier({ checksums: { crc32: "AAAAAAAA" } })).toThrow(expect.objectContaining({ code: "InvalidRequest" }));
    expect(() => createPayloadVerifier({ checksums: { sha256: "zz" } })).toThrow(expect.objectContaining({ code: "InvalidRequest" }));
    expect(() => createPayloadVerifier({ sha256Hex: "XYZ" })).toThrow(PayloadError);
  });

  it("reads getter checksums at the end and refuses algorithms it did not compute", async () => {
    let late: ChecksumValues | undefined;
    const verifier = createPayloadVerifier({ checksums: () => late });
    late = { crc32c: EXPECTED.crc32c };
    expect((await runStream([verifier], [BODY])).error).toBeUndefined();
    const limited = createPayloadVerifier({ checksums: () => ({ sha1: EXPECTED.sha1 }), algorithms: ["crc32"] });
    expect((await runStream([limited], [BODY])).error).toMatchObject({ code: "InvalidRequest" });
    const malformedLate = createPayloadVerifier({ checksums: () => ({ crc32: "%%%%" }) });
    expect((await runStream([malformedLate], [BODY])).error).toMatchObject({ code: "InvalidRequest" });
  });

  it("handles an empty body", async () => {
    const empty = Buffer.alloc(0);
    const verifier = createPayloadVerifier({ sha256Hex: createHash("sha256").update(empty).digest("hex"), checksums: { crc32: crc(0) } });
    const result = await runStream([verifier], []);
    expect(result.error).toBeUndefined();
    expect(result.ended).toBe(true);
  });
});

describe("checksumsFromHeaders", () => {
  it("maps x-amz-checksum-* headers and poisons repeated values", () => {
    expect(checksumsFromHeaders({ "x-amz-checksum-crc32": "DUoRhQ==", "x-amz-checksum-sha1": ["a"], other: "x" })).toEqual({ crc32: "DUoRhQ==", sha1: "a" });
    const repeated = checksumsFromHeaders({ "x-amz-checksum-crc32": ["DUoRhQ==", "AAAAAA=="] });
    expect(() => createPayloadVerifier({ checksums: repeated })).toThrow(expect.objectContaining({ code: "InvalidRequest" }));
  });
});
