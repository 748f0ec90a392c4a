// Query-string authentication (presigned URLs): the six X-Amz-* parameters, parsed and checked
// with the same credential, date and signed-header parsers as the Authorization header.
import { ALGORITHM } from "./canonical-request";
import { MSG, fail } from "./errors";
import { SIGNATURE_RE, buildAuth, parseAmzDate, parseCredential, parseSignedHeaders } from "./auth-parse";
import type { ParsedAuth, VerifyFail } from "./types";

const MAX_PRESIGN_SECONDS = 604800;

const queryFail = (reason: string, message: string) => fail(400, "AuthorizationQueryParametersError", reason, message);

type PresignParams = { algorithm: string; credential: string; date: string; expires: string; signedHeaders: string; signature: string };

/** The six auth parameters; a repeated one makes "which value was verified" ambiguous. */
function presignParams(params: Array<[string, string]>): PresignParams | VerifyFail {
  const found: Partial<PresignParams> = {};
  let count = 0;
  for (let i = 0; i < params.length; i++) {
    const [name, value] = params[i];
    const field = PRESIGN_FIELDS.get(name);
    if (field === undefined) continue;
    if (found[field] !== undefined) return queryFail("repeated_auth_param", `${name} must not be repeated`);
    found[field] = value;
    count++;
  }
  return count === PRESIGN_FIELDS.size ? (found as PresignParams) : queryFail("missing_auth_param", MSG.queryParamsMissing);
}

const PRESIGN_FIELDS = new Map<string, keyof PresignParams>([
  ["X-Amz-Algorithm", "algorithm"], ["X-Amz-Credential", "credential"], ["X-Amz-Date", "date"],
  ["X-Amz-Expires", "expires"], ["X-Amz-SignedHeaders", "signedHeaders"], ["X-Amz-Signature", "signature"],
]);

function parseExpires(raw: string): number | VerifyFail {
  if (!/^-?\d{1,12}$/.test(raw)) return queryFail("bad_expires", "X-Amz-Expires should be a number");
  const seconds = Number(raw);
  if (seconds < 1) return queryFail("bad_expires", "X-Amz-Expires must be non-negative and not zero");
  if (seconds > MAX_PRESIGN_SECONDS) {
    return queryFail("bad_expires", "X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires is 604800 seconds");
  }
  return seconds;
}

/** Parses presigned-URL query authentication. `params` are the decoded query parameters. */
export function parsePresignAuth(params: Array<[string, string]>): ParsedAuth | VerifyFail {
  const p = presignParams(params);
  if ("ok" in p) return p;
  if (p.algorithm !== ALGORITHM) {
    return queryFail("bad_algorithm", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const cred = parseCredential(p.credential);
  if (!cred) return queryFail("malformed_credential", `${MSG.queryMalformed} ${MSG.credentialShape}`);
  const time = parseAmzDate(p.date);
  if (!time) return queryFail("bad_date", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!p.date.startsWith(cred.scopeDate)) {
    return queryFail("credential_date_mismatch", `${MSG.queryMalformed} Invalid credential date. Date is not the same as X-Amz-Date.`);
  }
  const expires = parseExpires(p.expires);
  if (typeof expires !== "number") return expires;
  const signedHeaders = parseSignedHeaders(p.signedHeaders);
  if (!signedHeaders) return queryFail("malformed_signed_headers", "X-Amz-SignedHeaders is invalid.");
  if (!SIGNATURE_RE.test(p.signature)) return queryFail("malformed_signature", "X-Amz-Signature is malformed.");
  return buildAuth("presign", cred, signedHeaders, p.signature, p.date, time, expires);
}
