import { EMPTY_SHA256, sha256Hex, signHex } from "./canonical-request";
import type { ChunkSigning } from "./types";

// String-to-sign builders for aws-chunked bodies. Each chunk signature chains on the previous
// one (the seed is the request signature), so chunks cannot be reordered, dropped or replayed
// into another upload; the trailer signature chains on the final (empty) chunk's signature.

export function chunkStringToSign(signing: ChunkSigning, previousSignature: string, chunkSha256Hex: string): string {
  return [
    "AWS4-HMAC-SHA256-PAYLOAD",
    signing.amzDate,
    signing.scope,
    previousSignature,
    EMPTY_SHA256,
    chunkSha256Hex,
  ].join("\n");
}

export function signChunk(signing: ChunkSigning, previousSignature: string, chunkSha256Hex: string): string {
  return signHex(signing.signingKey, chunkStringToSign(signing, previousSignature, chunkSha256Hex));
}

/** Canonical trailer block: lower-case names sorted, values trimmed, each line ending in "\n". */
export function canonicalTrailers(trailers: Array<[string, string]>): string {
  return [...trailers]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join("");
}

export function signTrailer(signing: ChunkSigning, previousSignature: string, trailers: Array<[string, string]>): string {
  const stringToSign = [
    "AWS4-HMAC-SHA256-TRAILER",
    signing.amzDate,
    signing.scope,
    previousSignature,
    sha256Hex(canonicalTrailers(trailers)),
  ].join("\n");
  return signHex(signing.signingKey, stringToSign);
}
