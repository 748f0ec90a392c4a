// Public types of the pure SigV4 verification module.

export type HeaderValue = string | string[] | undefined;

export type SigV4Request = {
  method: string;
  /** Raw request target as received: path + "?" + query, percent-encoded as sent (node `req.url`). */
  url: string;
  /**
   * Lower-case header names. Pass node's `req.headersDistinct` (string[] per header) when possible:
   * `req.headers` joins repeated headers with ", ", which SigV4 canonicalises as "," and would not verify.
   */
  headers: Record<string, HeaderValue>;
};

/**
 * `previousSecret` is tried after `secret` while `previousSecretUntil` is in the future
 * (a rotation overlap window); VerifyOk.signedWith says which one matched.
 */
export type KeyRecord<T> = T & { secret: string; region: string; previousSecret?: string | null; previousSecretUntil?: Date | null };

export type KeyLookup<T> = (accessKeyId: string) => Promise<KeyRecord<T> | null>;

export type VerifyOptions<T> = {
  now: Date;
  lookup: KeyLookup<T>;
  service?: "s3";
  /** Other credential-scope regions accepted for a key's region (besides the region itself). */
  regionAliases?: (region: string) => readonly string[];
  /** Allowed clock difference for header auth (and future-dated presigns). Default 15 minutes. */
  maxSkewMs?: number;
};

export type StreamingMode =
  | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
  | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
  | "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/** "SHA256" means x-amz-content-sha256 carried a hex digest that the body must match. */
export type PayloadMode = "UNSIGNED-PAYLOAD" | "SHA256" | StreamingMode;

/** Everything the aws-chunked decoder needs to verify chunk and trailer signatures. */
export type ChunkSigning = {
  signingKey: Buffer;
  seedSignature: string;
  amzDate: string;
  scope: string;
};

export type VerifyOk<T> = {
  ok: true;
  key: KeyRecord<T>;
  accessKeyId: string;
  /** Which of the key's secrets signed the request. */
  signedWith: "current" | "previous";
  presigned: boolean;
  presignExpiresAt?: Date;
  payload: PayloadMode;
  /** Lower-case hex digest the body must hash to (payload === "SHA256"). */
  contentSha256?: string;
  /** Present for the two signed streaming modes. */
  chunkSigning?: ChunkSigning;
  /** Parsed x-amz-decoded-content-length for streaming modes, when sent. */
  decodedContentLength?: number;
};

export type VerifyFail = {
  ok: false;
  status: number;
  code: string;
  message: string;
  accessKeyId?: string;
  /** Short, low-cardinality label for metrics, e.g. "bad_signature". */
  reason: string;
  /** Expected region, for S3's <Region> element on region mismatches. */
  region?: string;
};

export type VerifyResult<T> = VerifyOk<T> | VerifyFail;

/** Authentication parameters extracted from the Authorization header or the presign query. */
export type ParsedAuth = {
  kind: "header" | "presign";
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** "<date>/<region>/<service>/aws4_request" */
  scope: string;
  /** Shared between requests (parsed once per distinct header string): never modified. */
  signedHeaders: readonly string[];
  /** Lower-case hex signature provided by the client. */
  signature: string;
  /** Request timestamp as it appears in the string-to-sign (YYYYMMDDTHHMMSSZ). */
  amzDate: string;
  requestTime: Date;
  /** X-Amz-Expires in seconds (presign only). */
  expiresSeconds?: number;
};
