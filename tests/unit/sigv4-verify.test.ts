// verifyRequest with header auth: accepted requests, tampering, required and covered headers.
import { describe, expect, it } from "vitest";
import { EMPTY_SHA, S3_DOC, amzDate } from "./sigv4-test-helpers";
import { KEY, NOW, base, expectFail, lookup, signed, verify, withHeaders } from "./sigv4-verify-fixtures";

describe("header auth: accepted requests", () => {
  it("verifies a signed GET and returns the key record", async () => {
    const result = await verify(signed());
    expect(result).toMatchObject({ ok: true, accessKeyId: S3_DOC.accessKeyId, presigned: false, payload: "SHA256", key: KEY });
  });

  it("accepts clock differences up to the skew limit, and the Date header", async () => {
    expect((await verify(signed(), new Date(NOW.getTime() + 14 * 60_000))).ok).toBe(true);
    expect((await verify(signed(), new Date(NOW.getTime() - 15 * 60_000))).ok).toBe(true);
    expect((await verify(signed({ dateHeader: true }))).ok).toBe(true);
  });

  it("ignores unsigned non-x-amz headers added in transit", async () => {
    expect((await verify(withHeaders(signed(), { "user-agent": "curl", "x-forwarded-for": "1.2.3.4" }))).ok).toBe(true);
  });

  it("resolves payload modes from x-amz-content-sha256", async () => {
    const mode = async (value: string, extra: Record<string, string> = {}) =>
      verify(signed({ headers: { ...base.headers, "x-amz-content-sha256": value, ...extra }, payloadHash: value }));
    expect(await mode("UNSIGNED-PAYLOAD")).toMatchObject({ ok: true, payload: "UNSIGNED-PAYLOAD", contentSha256: undefined });
    expect(await mode(EMPTY_SHA.toUpperCase())).toMatchObject({ ok: true, payload: "SHA256", contentSha256: EMPTY_SHA });
    const trailer = await mode("STREAMING-UNSIGNED-PAYLOAD-TRAILER", { "x-amz-decoded-content-length": "11" });
    expect(trailer).toMatchObject({ ok: true, payload: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: 11, chunkSigning: undefined });
    const signedTrailer = await mode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    expect(signedTrailer).toMatchObject({ ok: true, chunkSigning: { amzDate: amzDate(NOW), scope: "20240305/us-east-1/s3/aws4_request" } });
    if (signedTrailer.ok) expect(signedTrailer.chunkSigning?.signingKey).toHaveLength(32);
  });
});

describe("header auth: tampering and wrong credentials", () => {
  it("refuses a tampered signature, header, query, path or method", async () => {
    const req = signed();
    const auth = req.headers.authorization as string;
    const flipped = auth.slice(0, -1) + (auth.endsWith("0") ? "1" : "0");
    expectFail(await verify(withHeaders(req, { authorization: flipped })), 403, "SignatureDoesNotMatch", "bad_signature");
    expectFail(await verify(withHeaders(req, { host: "other.example.com" })), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, url: req.url.replace("3%2FL4", "4%2FL4") }), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, url: req.url + "&acl" }), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, url: req.url.replace("photos", "photoz") }), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, method: "DELETE" }), 403, "SignatureDoesNotMatch");
  });

  it("keeps '+' in the path distinct from a space", async () => {
    const req = signed();
    expectFail(await verify({ ...req, url: req.url.replace("%2B", "%20") }), 403, "SignatureDoesNotMatch");
    expect((await verify({ ...req, url: req.url.replace("%2B", "+") })).ok).toBe(true); // '+' is literal in paths
  });

  it("refuses a wrong secret and unknown access keys", async () => {
    expectFail(await verify(signed({ secret: "not-the-secret" })), 403, "SignatureDoesNotMatch");
    const unknown = await verify(signed({ accessKeyId: "AKIDUNKNOWN" }));
    expectFail(unknown, 403, "InvalidAccessKeyId", "unknown_key");
    expect(unknown).toMatchObject({ accessKeyId: "AKIDUNKNOWN" });
  });

  it("names the expected region when the scope region is wrong", async () => {
    const result = await verify(signed({ region: "eu-west-1" }));
    expectFail(result, 400, "AuthorizationHeaderMalformed", "wrong_region");
    expect(result).toMatchObject({ region: "us-east-1" });
    if (!result.ok) expect(result.message).toContain("the region 'eu-west-1' is wrong; expecting 'us-east-1'");
  });

  it("accepts the key region's aliases, signed with the alias, and nothing else", async () => {
    const aliases = { regionAliases: (r: string) => (r === "us-east-1" ? ["auto", "local"] : []) };
    expect(await verify(signed({ region: "auto" }), NOW, aliases)).toMatchObject({ ok: true });
    expect(await verify(signed({ region: "local" }), NOW, aliases)).toMatchObject({ ok: true });
    // The signature must still be the one for the scope the client sent.
    const relabelled = signed({ region: "auto" });
    const auth = (relabelled.headers.authorization as string).replace("/auto/", "/local/");
    expectFail(await verify(withHeaders(relabelled, { authorization: auth }), NOW, aliases), 403, "SignatureDoesNotMatch");
    const wrong = await verify(signed({ region: "eu-west-1" }), NOW, aliases);
    expectFail(wrong, 400, "AuthorizationHeaderMalformed", "wrong_region");
    if (!wrong.ok) expect(wrong.message).toContain("expecting 'us-east-1'");
  });

  it("refuses a scope for another service", async () => {
    expectFail(await verify(signed({ service: "iam" })), 400, "AuthorizationHeaderMalformed", "wrong_service");
  });

  it("refuses requests outside the clock skew, before looking the key up", async () => {
    lookup.mockClear();
    expectFail(await verify(signed(), new Date(NOW.getTime() + 16 * 60_000)), 403, "RequestTimeTooSkewed");
    expectFail(await verify(signed(), new Date(NOW.getTime() - 16 * 60_000)), 403, "RequestTimeTooSkewed");
    expectFail(await verify(signed(), new Date(NOW.getTime() + 61_000), { maxSkewMs: 60_000 }), 403, "RequestTimeTooSkewed");
    expect(lookup).not.toHaveBeenCalled();
  });
});

describe("header auth: required and covered headers", () => {
  it("requires x-amz-content-sha256 and validates it", async () => {
    const noSha = signed({ headers: { host: "gw.example.com" } });
    expectFail(await verify(noSha), 400, "InvalidRequest", "missing_content_sha256");
    expectFail(await verify(signed({ headers: { ...base.headers, "x-amz-content-sha256": "abc" } })), 400, "InvalidArgument");
  });

  it("requires host and every x-amz-* header present to be signed", async () => {
    expectFail(await verify(signed({ signedHeaders: ["x-amz-content-sha256", "x-amz-date"] })), 403, "AccessDenied", "host_not_signed");
    expectFail(await verify(withHeaders(signed(), { "x-amz-acl": "public-read" })), 403, "AccessDenied", "unsigned_headers");
    expectFail(await verify(signed({ signedHeaders: ["host", "x-amz-date"] })), 403, "AccessDenied", "unsigned_headers");
  });

  it("refuses a signed header that is absent from the request", async () => {
    const req = signed({ headers: { ...base.headers, "content-type": "" } });
    const { ["content-type"]: _dropped, ...rest } = req.headers;
    expectFail(await verify({ ...req, headers: rest }), 403, "SignatureDoesNotMatch", "signed_header_missing");
  });

  it("refuses session tokens, which keygate keys never have", async () => {
    const req = signed({ headers: { ...base.headers, "x-amz-security-token": "tok" } });
    expectFail(await verify(req), 400, "InvalidToken");
  });

  it("requires a valid date matching the credential scope", async () => {
    const req = signed();
    expectFail(await verify(withHeaders(req, { "x-amz-date": undefined })), 403, "AccessDenied", "missing_date");
    expectFail(await verify(withHeaders(req, { "x-amz-date": "20241305T010203Z" })), 403, "AccessDenied", "missing_date");
    expectFail(await verify(withHeaders(req, { "x-amz-date": "20240306T010203Z" })), 400, "AuthorizationHeaderMalformed", "credential_date_mismatch");
  });

  it("validates x-amz-decoded-content-length for streaming modes", async () => {
    const headers = { ...base.headers, "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "-1" };
    expectFail(await verify(signed({ headers })), 400, "InvalidArgument", "bad_decoded_length");
  });
});
