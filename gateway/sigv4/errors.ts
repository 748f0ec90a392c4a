import type { VerifyFail } from "./types";

// Error values for the SigV4 module. Messages are fixed strings or echo only
// client-supplied, charset-validated identifiers (access key id, region, service):
// never the secret, a signature, a signing key or a string-to-sign.

/** Error raised by the streaming body transforms; the gateway maps it to an S3 error response. */
export class PayloadError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "PayloadError";
    this.code = code;
    this.status = status;
  }
}

export function fail(
  status: number,
  code: string,
  reason: string,
  message: string,
  extra: { accessKeyId?: string; region?: string } = {},
): VerifyFail {
  return { ok: false, status, code, message, reason, ...extra };
}

export const MSG = {
  anonymous: "Anonymous access is not allowed",
  sigv2: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
  signatureMismatch:
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  unknownKey: "The AWS Access Key Id you provided does not exist in our records.",
  skewed: "The difference between the request time and the current time is too large.",
  expired: "Request has expired",
  notYetValid: "Request is not valid yet",
  noDate: "AWS authentication requires a valid Date or x-amz-date header",
  unsignedHeaders: "There were headers present in the request which were not signed",
  headerMalformed: "The authorization header is malformed;",
  queryMalformed: "Error parsing the X-Amz-Credential parameter;",
  credentialShape: 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
  queryParamsMissing:
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
  twoMechanisms:
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
  missingContentSha256: "Missing required header for this request: x-amz-content-sha256",
  badContentSha256:
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
  token: "The provided token is malformed or otherwise invalid.",
} as const;
