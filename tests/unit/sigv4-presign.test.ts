// verifyRequest: auth mechanism detection and presigned (query) authentication.
import { describe, expect, it } from "vitest";
import type { SigV4Request } from "../../gateway/sigv4/index";
import { presignRequest } from "./sigv4-test-helpers";
import { NOW, base, expectFail, signed, verify, withHeaders } from "./sigv4-verify-fixtures";

describe("mechanism detection", () => {
  const plain: SigV4Request = { method: "GET", url: "/bucket/key", headers: { host: "gw.example.com" } };

  it("refuses anonymous requests", async () => {
    const result = await verify(plain);
    expectFail(result, 403, "AccessDenied", "anonymous");
    expect(result).toMatchObject({ message: "Anonymous access is not allowed" });
  });

  it("refuses SigV2 in the header and in the query", async () => {
    const message = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
    expect(await verify(withHeaders(plain, { authorization: "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=" }))).toMatchObject({ status: 400, code: "InvalidRequest", message });
    const v2Query = { ...plain, url: "/bucket/key?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybd" };
    expect(await verify(v2Query)).toMatchObject({ status: 400, code: "InvalidRequest", message });
  });

  it("refuses unknown schemes, repeated Authorization and two mechanisms at once", async () => {
    expectFail(await verify(withHeaders(plain, { authorization: "Bearer abc" })), 400, "InvalidArgument", "unsupported_auth");
    const req = signed();
    expectFail(await verify(withHeaders(req, { authorization: [req.headers.authorization as string, "x"] })), 400, "InvalidArgument");
    const presigned = presignRequest({ ...base, expires: 60 });
    expectFail(await verify({ ...presigned, headers: req.headers }), 400, "InvalidArgument", "multiple_auth");
  });

  it("refuses malformed Authorization headers", async () => {
    const auth = signed().headers.authorization as string;
    const variants = [
      auth.replace(/, Signature=[0-9a-f]+/, ""),
      auth.replace("/aws4_request", "/aws4_reqest"),
      auth.replace("Credential=AKIAIOSFODNN7EXAMPLE/", "Credential=AKIA<b>/"),
      auth.replace("SignedHeaders=host;x-amz-content-sha256", "SignedHeaders=x-amz-content-sha256;host"),
      auth.replace(/Signature=([0-9a-f]+)/, (_m, s: string) => `Signature=${s.toUpperCase()}`),
      auth + ", Extra=1",
    ];
    for (const authorization of variants) {
      expectFail(await verify(withHeaders(signed(), { authorization })), 400, "AuthorizationHeaderMalformed");
    }
  });
});

describe("presigned URLs", () => {
  const presign = (over: Partial<Parameters<typeof presignRequest>[0]> = {}) =>
    presignRequest({ method: "GET", path: "/bucket/report 2024.pdf", headers: { host: "gw.example.com" }, date: NOW, expires: 3600, ...over });

  it("verifies within the window and reports the expiry", async () => {
    const result = await verify(presign(), new Date(NOW.getTime() + 3600_000));
    expect(result).toMatchObject({ ok: true, presigned: true, payload: "UNSIGNED-PAYLOAD", presignExpiresAt: new Date(NOW.getTime() + 3600_000) });
  });

  it("refuses expired and future-dated URLs", async () => {
    expectFail(await verify(presign(), new Date(NOW.getTime() + 3601_000)), 403, "AccessDenied", "presign_expired");
    expectFail(await verify(presign(), new Date(NOW.getTime() - 16 * 60_000)), 403, "AccessDenied", "presign_not_yet_valid");
    expect((await verify(presign(), new Date(NOW.getTime() - 14 * 60_000))).ok).toBe(true);
  });

  it("validates X-Amz-Expires (1..604800)", async () => {
    for (const expires of [0, 604801, -5]) {
      expectFail(await verify(presign({ expires })), 400, "AuthorizationQueryParametersError", "bad_expires");
    }
    expect((await verify(presign({ expires: 604800 }))).ok).toBe(true);
    const nan = presign();
    expectFail(await verify({ ...nan, url: nan.url.replace("X-Amz-Expires=3600", "X-Amz-Expires=1h") }), 400, "AuthorizationQueryParametersError");
  });

  it("refuses missing or repeated auth parameters", async () => {
    const req = presign();
    expectFail(await verify({ ...req, url: req.url.replace(/&X-Amz-SignedHeaders=[^&]*/, "") }), 400, "AuthorizationQueryParametersError", "missing_auth_param");
    const sig = /X-Amz-Signature=[0-9a-f]+/.exec(req.url)?.[0];
    expectFail(await verify({ ...req, url: `${req.url}&${sig}` }), 400, "AuthorizationQueryParametersError", "repeated_auth_param");
  });

  it("covers every query parameter except the exact X-Amz-Signature", async () => {
    const req = presign({ query: [["response-content-type", "text/html"]] });
    expect((await verify(req)).ok).toBe(true);
    expectFail(await verify({ ...req, url: req.url.replace("text%2Fhtml", "text%2Fplain") }), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, url: `${req.url}&x-amz-signature=1` }), 403, "SignatureDoesNotMatch");
    expectFail(await verify({ ...req, url: `${req.url}&acl` }), 403, "SignatureDoesNotMatch");
  });

  it("refuses wrong secret, wrong region and unsigned x-amz-* headers", async () => {
    expectFail(await verify(presign({ secret: "nope" })), 403, "SignatureDoesNotMatch");
    const region = await verify(presign({ region: "ap-south-1" }));
    expectFail(region, 400, "AuthorizationQueryParametersError", "wrong_region");
    if (!region.ok) expect(region.message).toContain("the region 'ap-south-1' is wrong; expecting 'us-east-1'");
    expectFail(await verify(withHeaders(presign(), { "x-amz-acl": "public-read" })), 403, "AccessDenied", "unsigned_headers");
  });

  it("honours a signed payload hash and refuses signed streaming", async () => {
    const hash = "a".repeat(64);
    const hexQuery = presign({ method: "PUT", query: [["X-Amz-Content-Sha256", hash]], payloadHash: hash });
    expect(await verify(hexQuery)).toMatchObject({ ok: true, payload: "SHA256", contentSha256: hash });
    const streaming = presign({
      method: "PUT",
      headers: { host: "gw.example.com", "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" },
      payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    });
    expectFail(await verify(streaming), 400, "InvalidRequest", "presign_streaming");
  });
});
