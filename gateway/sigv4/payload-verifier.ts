import { Crc32c } from "@aws-crypto/crc32c";
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";
import { PayloadError } from "./errors";
import type { HeaderValue } from "./types";

// Pass-through transform that hashes the body as it flows and checks it at the end against
// x-amz-content-sha256, Content-MD5 and x-amz-checksum-* (from headers or, via a getter, from
// aws-chunked trailers). Like the chunked decoder it holds back the most recent slice until
// _flush has verified everything: a consumer never sees the full body or 'end' for a bad body.

export type ChecksumAlgorithm = "crc32" | "crc32c" | "sha1" | "sha256";
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ["crc32", "crc32c", "sha1", "sha256"];
/** Base64 checksum values, as in x-amz-checksum-* headers. */
export type ChecksumValues = Partial<Record<ChecksumAlgorithm, string>>;
export type ComputedChecksums = ChecksumValues & { md5?: string; sha256Hex?: string };

export type PayloadVerifierOptions = {
  /** Expected lower-case hex sha256 (VerifyOk.contentSha256). */
  sha256Hex?: string;
  /** Raw Content-MD5 header value. */
  contentMd5Base64?: string;
  /** Expected checksums, or a getter read at the end (for trailers parsed by the chunked decoder). */
  checksums?: ChecksumValues | (() => ChecksumValues | undefined);
  /** Algorithms to compute. Default: those in `checksums`, or all of them when it is a getter. */
  algorithms?: readonly ChecksumAlgorithm[];
};

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, sha1: 20, sha256: 32 };

/** Strict base64 of exactly `bytes` bytes, or null. */
function decodeBase64(value: string, bytes: number): Buffer | null {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  const decoded = Buffer.from(value, "base64");
  return decoded.length === bytes ? decoded : null;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function invalidChecksum(algorithm: ChecksumAlgorithm): PayloadError {
  return new PayloadError(400, "InvalidRequest", `Value for x-amz-checksum-${algorithm} header is invalid.`);
}

/** Validates expected checksum values (header or trailer) and returns their bytes. */
function expectedDigests(values: ChecksumValues): Map<ChecksumAlgorithm, Buffer> {
  const out = new Map<ChecksumAlgorithm, Buffer>();
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = values[algorithm];
    if (value === undefined) continue;
    const bytes = decodeBase64(value, DIGEST_BYTES[algorithm]);
    if (!bytes) throw invalidChecksum(algorithm);
    out.set(algorithm, bytes);
  }
  return out;
}

export class PayloadVerifier extends Transform {
  /** Base64 digests of the body; set once the stream has been verified ('end'). */
  computed?: ComputedChecksums;
  private readonly options: PayloadVerifierOptions;
  private readonly expectedMd5?: Buffer;
  private readonly hashes = new Map<"md5" | "sha1" | "sha256", Hash>();
  private crc32Value?: number;
  private crc32c?: Crc32c;
  private held?: Buffer;

  constructor(options: PayloadVerifierOptions) {
    super();
    this.options = options;
    if (options.sha256Hex !== undefined && !/^[0-9a-f]{64}$/.test(options.sha256Hex)) {
      throw new PayloadError(400, "InvalidArgument", "Invalid x-amz-content-sha256 value.");
    }
    if (options.contentMd5Base64 !== undefined) {
      this.expectedMd5 = decodeBase64(options.contentMd5Base64, 16) ?? undefined;
      if (!this.expectedMd5) throw new PayloadError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
      this.hashes.set("md5", createHash("md5"));
    }
    const { checksums } = options;
    if (checksums !== undefined && typeof checksums !== "function") expectedDigests(checksums); // fail fast
    const algorithms =
      options.algorithms ?? (typeof checksums === "function" ? CHECKSUM_ALGORITHMS : (Object.keys(checksums ?? {}) as ChecksumAlgorithm[]));
    for (const algorithm of algorithms) this.enable(algorithm);
    if (options.sha256Hex !== undefined) this.enable("sha256");
  }

  private enable(algorithm: ChecksumAlgorithm): void {
    if (algorithm === "crc32") this.crc32Value = 0;
    else if (algorithm === "crc32c") this.crc32c = new Crc32c();
    else if (!this.hashes.has(algorithm)) this.hashes.set(algorithm, createHash(algorithm));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    for (const hash of this.hashes.values()) hash.update(data);
    if (this.crc32Value !== undefined) this.crc32Value = crc32(data, this.crc32Value);
    this.crc32c?.update(data);
    if (this.held) this.push(this.held);
    this.held = data;
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.verify(this.digests());
      if (this.held) this.push(this.held);
      this.held = undefined;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private digests(): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const [name, hash] of this.hashes) out.set(name, hash.digest());
    if (this.crc32Value !== undefined) out.set("crc32", uint32(this.crc32Value));
    if (this.crc32c) out.set("crc32c", uint32(this.crc32c.digest()));
    return out;
  }

  private verify(digests: Map<string, Buffer>): void {
    const sha256 = digests.get("sha256");
    if (this.options.sha256Hex !== undefined && sha256?.toString("hex") !== this.options.sha256Hex) {
      throw new PayloadError(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (this.expectedMd5 && !this.expectedMd5.equals(digests.get("md5") as Buffer)) {
      throw new PayloadError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    const { checksums } = this.options;
    const expected = expectedDigests((typeof checksums === "function" ? checksums() : checksums) ?? {});
    for (const [algorithm, bytes] of expected) {
      const actual = digests.get(algorithm);
      if (!actual) throw new PayloadError(400, "InvalidRequest", `The ${algorithm} checksum was not announced before the body.`);
      if (!actual.equals(bytes)) {
        throw new PayloadError(400, "BadDigest", `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
    this.computed = { sha256Hex: sha256?.toString("hex") };
    for (const [name, bytes] of digests) (this.computed as Record<string, string>)[name] = bytes.toString("base64");
  }
}

export function createPayloadVerifier(options: PayloadVerifierOptions): PayloadVerifier {
  return new PayloadVerifier(options);
}

/** Base64 checksums computed over the body (x-amz-checksum-* only), for echoing in responses. */
export function getComputedChecksums(verifier: PayloadVerifier): ChecksumValues {
  const out: ChecksumValues = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = verifier.computed?.[algorithm];
    if (value !== undefined) out[algorithm] = value;
  }
  return out;
}

/**
 * Expected checksums from x-amz-checksum-* headers or decoded trailers (lower-case names).
 * A repeated value is mapped to "" so that validation rejects it instead of picking one.
 */
export function checksumsFromHeaders(headers: Record<string, HeaderValue>): ChecksumValues {
  const out: ChecksumValues = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = headers[`x-amz-checksum-${algorithm}`];
    if (value === undefined) continue;
    out[algorithm] = Array.isArray(value) ? (value.length === 1 ? value[0] : "") : value;
  }
  return out;
}
