// Pure SigV4 verification for the S3 gateway: request parts + key lookup + clock in,
// decision out; plus streaming transforms for aws-chunked bodies and payload digests.

export type {
  ChunkSigning,
  HeaderValue,
  KeyLookup,
  KeyRecord,
  ParsedAuth,
  PayloadMode,
  SigV4Request,
  StreamingMode,
  VerifyFail,
  VerifyOk,
  VerifyOptions,
  VerifyResult,
} from "./types";
export { verifyRequest, DEFAULT_MAX_SKEW_MS } from "./verify-request";
export { PayloadError } from "./errors";
export { parseQuery, canonicalizePath, canonicalizeQuery } from "./uri-encoding";
export {
  buildCanonicalRequest,
  buildStringToSign,
  checkRequestSignature,
  deriveSigningKey,
  normalizeHeaders,
} from "./canonical-request";
export { parseHeaderAuth, formatAmzDate } from "./auth-parse";
export { parsePresignAuth } from "./presign-parse";
export { createChunkedDecoder, ChunkedDecoder, type ChunkedDecoderOptions } from "./chunked-decoder";
export {
  createPayloadVerifier,
  getComputedChecksums,
  checksumsFromHeaders,
  PayloadVerifier,
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  type ChecksumValues,
  type ComputedChecksums,
  type PayloadVerifierOptions,
} from "./payload-verifier";
