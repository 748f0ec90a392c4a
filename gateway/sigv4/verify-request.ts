import { parseHeaderAuth, singleHeader } from "./auth-parse";
import { parsePresignAuth } from "./presign-parse";
import { ALGORITHM, checkRequestSignature, normalizeHeaders, type HeaderMap } from "./canonical-request";
import { MSG, fail } from "./errors";
import { resolvePayload, type PayloadInfo } from "./payload-mode";
import type { KeyRecord, ParsedAuth, SigV4Request, VerifyFail, VerifyOptions, VerifyResult } from "./types";
import { parseQuery, splitTarget } from "./uri-encoding";

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The previous secret while its rotation overlap window is open, else null: the one rule for
 * header, presigned and POST form signatures alike (tried only after the current secret).
 */
export function previousSecretInForce(key: Pick<KeyRecord<unknown>, "previousSecret" | "previousSecretUntil">, now: Date): string | null {
  return key.previousSecret && key.previousSecretUntil && key.previousSecretUntil > now ? key.previousSecret : null;
}

type Mechanism = { kind: "header"; authorization: string } | { kind: "presign" } | VerifyFail;

const sigv2 = () => fail(400, "InvalidRequest", "sigv2", MSG.sigv2);

/** Decides which auth mechanism the request uses; exactly one is allowed. */
function detectMechanism(headers: HeaderMap, params: Array<[string, string]>): Mechanism {
  const authorization = singleHeader(headers, "authorization");
  let v4Query = false;
  let v2Query = false;
  for (const [name] of params) {
    if (name === "X-Amz-Algorithm" || name === "X-Amz-Credential" || name === "X-Amz-Signature") v4Query = true;
    else if (name === "AWSAccessKeyId" || name === "Signature") v2Query = true;
  }
  if (authorization === "repeated") {
    return fail(400, "InvalidArgument", "repeated_authorization", "Only one Authorization header is allowed.");
  }
  if ((authorization !== undefined && (v4Query || v2Query)) || (v4Query && v2Query)) {
    return fail(400, "InvalidArgument", "multiple_auth", MSG.twoMechanisms);
  }
  if (authorization !== undefined) {
    if (authorization.startsWith(ALGORITHM + " ")) return { kind: "header", authorization };
    // SigV2 ("AWS id:sig") and SigV4a are recognised so clients get an actionable message.
    if (/^AWS \S+:\S+/.test(authorization) || authorization.startsWith("AWS4-ECDSA-P256-SHA256")) return sigv2();
    return fail(400, "InvalidArgument", "unsupported_auth", "Unsupported Authorization Type");
  }
  if (v2Query) return sigv2();
  if (v4Query) return { kind: "presign" };
  return fail(403, "AccessDenied", "anonymous", MSG.anonymous);
}

function malformed(auth: ParsedAuth, reason: string, detail: string, region?: string): VerifyFail {
  const header = auth.kind === "header";
  const code = header ? "AuthorizationHeaderMalformed" : "AuthorizationQueryParametersError";
  const message = `${header ? MSG.headerMalformed : MSG.queryMalformed} ${detail}`;
  return fail(400, code, reason, message, { accessKeyId: auth.accessKeyId, region });
}

/** Replay protection: header auth must be fresh; presigns must be inside their validity window. */
function checkTime(auth: ParsedAuth, now: Date, maxSkewMs: number): VerifyFail | null {
  const accessKeyId = auth.accessKeyId;
  const ahead = auth.requestTime.getTime() - now.getTime();
  if (auth.kind === "header") {
    return Math.abs(ahead) > maxSkewMs ? fail(403, "RequestTimeTooSkewed", "clock_skew", MSG.skewed, { accessKeyId }) : null;
  }
  if (ahead > maxSkewMs) return fail(403, "AccessDenied", "presign_not_yet_valid", MSG.notYetValid, { accessKeyId });
  const expiresAt = auth.requestTime.getTime() + (auth.expiresSeconds as number) * 1000;
  return now.getTime() > expiresAt ? fail(403, "AccessDenied", "presign_expired", MSG.expired, { accessKeyId }) : null;
}

/**
 * Which headers must be covered: host always, and every x-amz-* header present, because those
 * change what S3 does (ACLs, copy sources, metadata, checksums) and must not be injectable.
 */
function checkHeaderCoverage(auth: ParsedAuth, headers: HeaderMap): VerifyFail | null {
  const accessKeyId = auth.accessKeyId;
  const signed = auth.signedHeaders;
  const hostSigned = signed.includes("host");
  let unsigned = false;
  for (const name of headers.keys()) if (name.startsWith("x-amz-") && !signed.includes(name)) unsigned = true;
  if (!hostSigned || unsigned) {
    return fail(403, "AccessDenied", hostSigned ? "unsigned_headers" : "host_not_signed", MSG.unsignedHeaders, { accessKeyId });
  }
  // A signed header that is absent would canonicalise like an empty one: refuse it.
  if (auth.signedHeaders.some((name) => !headers.has(name))) {
    return fail(403, "SignatureDoesNotMatch", "signed_header_missing", MSG.signatureMismatch, { accessKeyId });
  }
  return null;
}

/** Checks that need no secret; run before the key lookup so malformed traffic costs no DB call. */
function checkPolicy(auth: ParsedAuth, headers: HeaderMap, params: Array<[string, string]>, opts: VerifyOptions<unknown>): VerifyFail | null {
  const service = opts.service ?? "s3";
  if (auth.service !== service) {
    return malformed(auth, "wrong_service", `incorrect service "${auth.service}". This endpoint belongs to "${service}".`);
  }
  // Keygate keys have no session tokens; refusing them avoids silently ignoring a credential.
  if (headers.has("x-amz-security-token") || params.some(([name]) => name === "X-Amz-Security-Token")) {
    return fail(400, "InvalidToken", "session_token", MSG.token, { accessKeyId: auth.accessKeyId });
  }
  return checkTime(auth, opts.now, opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS) ?? checkHeaderCoverage(auth, headers);
}

function parseAuth(mechanism: Exclude<Mechanism, VerifyFail>, headers: HeaderMap, params: Array<[string, string]>) {
  return mechanism.kind === "header" ? parseHeaderAuth(mechanism.authorization, headers) : parsePresignAuth(params);
}

function success<T>(auth: ParsedAuth, key: KeyRecord<T>, payload: PayloadInfo, signingKey: Buffer, signedWith: "current" | "previous"): VerifyResult<T> {
  const streamingSigned = payload.mode.startsWith("STREAMING-AWS4-HMAC");
  return {
    ok: true,
    key,
    accessKeyId: auth.accessKeyId,
    signedWith,
    presigned: auth.kind === "presign",
    presignExpiresAt:
      auth.kind === "presign" ? new Date(auth.requestTime.getTime() + (auth.expiresSeconds as number) * 1000) : undefined,
    payload: payload.mode,
    contentSha256: payload.contentSha256,
    chunkSigning: streamingSigned
      ? { signingKey, seedSignature: auth.signature, amzDate: auth.amzDate, scope: auth.scope }
      : undefined,
    decodedContentLength: payload.decodedContentLength,
  };
}

/** Verifies a SigV4 (header or presigned) S3 request. Pure: no I/O besides `opts.lookup`. */
export async function verifyRequest<T>(req: SigV4Request, opts: VerifyOptions<T>): Promise<VerifyResult<T>> {
  const headers = normalizeHeaders(req.headers);
  const params = parseQuery(splitTarget(req.url).query);
  const mechanism = detectMechanism(headers, params);
  if ("ok" in mechanism) return mechanism;
  const auth = parseAuth(mechanism, headers, params);
  if ("ok" in auth) return auth;
  const policyFailure = checkPolicy(auth, headers, params, opts as VerifyOptions<unknown>);
  if (policyFailure) return policyFailure;
  const payload = resolvePayload(auth, headers, params);
  if ("ok" in payload) return { ...payload, accessKeyId: auth.accessKeyId };
  const key = await opts.lookup(auth.accessKeyId);
  if (!key) return fail(403, "InvalidAccessKeyId", "unknown_key", MSG.unknownKey, { accessKeyId: auth.accessKeyId });
  if (key.region !== auth.region && !opts.regionAliases?.(key.region).includes(auth.region)) {
    return malformed(auth, "wrong_region", `the region '${auth.region}' is wrong; expecting '${key.region}'`, key.region);
  }
  const check = checkRequestSignature(req, auth, key.secret, payload.canonicalHash, headers);
  if (check.match) return success(auth, key, payload, check.signingKey, "current");
  const previousSecret = previousSecretInForce(key, opts.now);
  if (previousSecret) {
    const previous = checkRequestSignature(req, auth, previousSecret, payload.canonicalHash, headers);
    if (previous.match) return success(auth, key, payload, previous.signingKey, "previous");
  }
  return fail(403, "SignatureDoesNotMatch", "bad_signature", MSG.signatureMismatch, { accessKeyId: auth.accessKeyId });
}
