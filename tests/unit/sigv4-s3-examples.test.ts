// Every S3 signing example from /work/shared/testdata/s3-sigv4-examples/VECTORS.md, verified end to
// end with verifyRequest / the chunked decoder / the payload verifier, using only the published
// signatures (nothing here is re-signed by test code).
import { describe, expect, it } from "vitest";
import {
  checksumsFromHeaders,
  createChunkedDecoder,
  createPayloadVerifier,
  getComputedChecksums,
  verifyRequest,
  type SigV4Request,
  type VerifyOk,
  type VerifyResult,
} from "../../gateway/sigv4/index";
import { EMPTY_SHA, S3_DOC, runStream, sha256 } from "./sigv4-test-helpers";

const NOW = new Date("2013-05-24T00:00:00Z");
const DATE = "20130524T000000Z";
const CRED = `Credential=${S3_DOC.accessKeyId}/20130524/us-east-1/s3/aws4_request`;
const lookup = async (id: string) => (id === S3_DOC.accessKeyId ? { secret: S3_DOC.secret, region: "us-east-1", id } : null);
const verify = (req: SigV4Request, now = NOW) => verifyRequest(req, { now, lookup });

function authz(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

function expectOk<T>(result: VerifyResult<T>): VerifyOk<T> {
  if (!result.ok) throw new Error(`expected success, got ${result.code}/${result.reason}: ${result.message}`);
  return result;
}

const HOST = "examplebucket.s3.amazonaws.com";
const WELCOME = "Welcome to Amazon S3.";

const getRange: SigV4Request = {
  method: "GET",
  url: "/test.txt",
  headers: {
    host: HOST, range: "bytes=0-9", "x-amz-content-sha256": EMPTY_SHA, "x-amz-date": DATE,
    authorization: authz("host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
  },
};

const putDollar = (url: string): SigV4Request => ({
  method: "PUT",
  url,
  headers: {
    date: "Fri, 24 May 2013 00:00:00 GMT", host: HOST, "x-amz-content-sha256": sha256(WELCOME),
    "x-amz-date": DATE, "x-amz-storage-class": "REDUCED_REDUNDANCY",
    authorization: authz("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
  },
});

const bucketGet = (url: string, signature: string): SigV4Request => ({
  method: "GET",
  url,
  headers: { host: HOST, "x-amz-content-sha256": EMPTY_SHA, "x-amz-date": DATE, authorization: authz("host;x-amz-content-sha256;x-amz-date", signature) },
});

const PRESIGNED =
  "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
  "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
  "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

describe("S3 header-auth examples", () => {
  it("GET /test.txt with Range", async () => {
    const ok = expectOk(await verify(getRange));
    expect(ok).toMatchObject({ accessKeyId: S3_DOC.accessKeyId, presigned: false, payload: "SHA256", contentSha256: EMPTY_SHA });
    expect(ok.key).toMatchObject({ id: S3_DOC.accessKeyId, region: "us-east-1" });
  });

  it("PUT /test$file.text, sent with $ encoded as %24 and raw", async () => {
    for (const url of ["/test%24file.text", "/test$file.text"]) {
      expect(expectOk(await verify(putDollar(url))).contentSha256).toBe(sha256(WELCOME));
    }
  });

  it("PUT /test$file.text body is checked against x-amz-content-sha256", async () => {
    const ok = expectOk(await verify(putDollar("/test%24file.text")));
    const good = await runStream([createPayloadVerifier({ sha256Hex: ok.contentSha256 })], [Buffer.from(WELCOME)]);
    expect(good.error).toBeUndefined();
    expect(good.output.toString()).toBe(WELCOME);
    const bad = await runStream([createPayloadVerifier({ sha256Hex: ok.contentSha256 })], [Buffer.from("Welcome to Amazon S4.")]);
    expect(bad.error).toMatchObject({ code: "XAmzContentSHA256Mismatch", status: 400 });
  });

  it("GET /?lifecycle (canonical query 'lifecycle=')", async () => {
    expectOk(await verify(bucketGet("/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")));
  });

  it("GET /?max-keys=2&prefix=J, in either parameter order", async () => {
    const sig = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
    expectOk(await verify(bucketGet("/?max-keys=2&prefix=J", sig)));
    expectOk(await verify(bucketGet("/?prefix=J&max-keys=2", sig)));
  });

  it("the published signatures fail once anything signed changes", async () => {
    expect(await verify(bucketGet("/?max-keys=3&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(await verify({ ...getRange, headers: { ...getRange.headers, range: "bytes=0-99" } })).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(await verify(putDollar("/test%2524file.text"))).toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

describe("S3 presigned example", () => {
  const req: SigV4Request = { method: "GET", url: PRESIGNED, headers: { host: HOST } };

  it("verifies within its 86400 s validity, UNSIGNED-PAYLOAD", async () => {
    for (const now of [NOW, new Date(NOW.getTime() + 86400_000)]) {
      const ok = expectOk(await verify(req, now));
      expect(ok).toMatchObject({ presigned: true, payload: "UNSIGNED-PAYLOAD", presignExpiresAt: new Date("2013-05-25T00:00:00Z") });
    }
  });

  it("is refused after expiry, and when dated beyond the skew in the future", async () => {
    expect(await verify(req, new Date(NOW.getTime() + 86401_000))).toMatchObject({ status: 403, code: "AccessDenied", message: "Request has expired" });
    expect(await verify(req, new Date(NOW.getTime() - 16 * 60_000))).toMatchObject({ status: 403, reason: "presign_not_yet_valid" });
  });

  it("is refused for another host or method", async () => {
    expect(await verify({ ...req, headers: { host: "evil.s3.amazonaws.com" } })).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(await verify({ ...req, method: "DELETE" })).toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

// --- aws-chunked vectors -------------------------------------------------------------------

const SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const CHUNK_SIGS = [
  "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
  "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
  "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
];
const TRAILER_SIG = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c";

const seedRequest: SigV4Request = {
  method: "PUT",
  url: "/examplebucket/chunkObject.txt",
  headers: {
    "content-encoding": "aws-chunked", "content-length": "66824", host: "s3.amazonaws.com",
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "x-amz-date": DATE,
    "x-amz-decoded-content-length": "66560", "x-amz-storage-class": "REDUCED_REDUNDANCY",
    authorization: authz("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class", SEED),
  },
};

function chunkedBody(trailer?: string): Buffer {
  const a = (n: number) => Buffer.alloc(n, "a");
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${CHUNK_SIGS[0]}\r\n`), a(65536), Buffer.from("\r\n"),
    Buffer.from(`400;chunk-signature=${CHUNK_SIGS[1]}\r\n`), a(1024), Buffer.from("\r\n"),
    Buffer.from(`0;chunk-signature=${CHUNK_SIGS[2]}\r\n`), Buffer.from(trailer ?? ""), Buffer.from("\r\n"),
  ]);
}

describe("S3 aws-chunked example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)", () => {
  it("verifies the seed request and exposes the chunk-signing context", async () => {
    const ok = expectOk(await verify(seedRequest));
    expect(ok.payload).toBe("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    expect(ok.decodedContentLength).toBe(66560);
    expect(ok.chunkSigning).toMatchObject({ seedSignature: SEED, amzDate: DATE, scope: "20130524/us-east-1/s3/aws4_request" });
  });

  it("decodes the 66824-byte body (chunks 65536, 1024, 0) verifying every chunk signature", async () => {
    const ok = expectOk(await verify(seedRequest));
    const body = chunkedBody();
    expect(body.length).toBe(66824);
    const decoder = createChunkedDecoder({ mode: ok.payload as "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", chunkSigning: ok.chunkSigning, decodedContentLength: ok.decodedContentLength });
    const result = await runStream([decoder], [body.subarray(0, 5000), body.subarray(5000, 65600), body.subarray(65600)]);
    expect(result.error).toBeUndefined();
    expect(result.output.equals(Buffer.alloc(66560, "a"))).toBe(true);
  });

  it("rejects the body when one byte of chunk data is changed", async () => {
    const ok = expectOk(await verify(seedRequest));
    const body = chunkedBody();
    body[body.length - 200] = 0x62; // inside the 1024-byte chunk (the last 88 bytes are framing)
    const decoder = createChunkedDecoder({ mode: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", chunkSigning: ok.chunkSigning });
    const result = await runStream([decoder], [body]);
    expect(result.error).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    expect(result.ended).toBe(false);
  });

  it("verifies the published trailer signature (first:1st, second:2nd, third:3rd)", async () => {
    const ok = expectOk(await verify(seedRequest));
    const trailer = `first:1st\r\nsecond:2nd\r\nthird:3rd\r\nx-amz-trailer-signature:${TRAILER_SIG}\r\n`;
    const decoder = createChunkedDecoder({ mode: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", chunkSigning: ok.chunkSigning });
    const result = await runStream([decoder], [chunkedBody(trailer)]);
    expect(result.error).toBeUndefined();
    expect({ ...decoder.trailers }).toEqual({ first: "1st", second: "2nd", third: "3rd" });
    const tampered = createChunkedDecoder({ mode: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", chunkSigning: ok.chunkSigning });
    const bad = await runStream([tampered], [chunkedBody(trailer.replace("2nd", "2ND"))]);
    expect(bad.error).toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

describe("real-client wire sample (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  const wire = Buffer.from("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");

  it("decodes and checks the trailing CRC32", async () => {
    const decoder = createChunkedDecoder({ mode: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: 11, expectedTrailers: ["x-amz-checksum-crc32"] });
    const verifier = createPayloadVerifier({ checksums: () => checksumsFromHeaders(decoder.trailers), algorithms: ["crc32"] });
    const result = await runStream([decoder, verifier], [wire]);
    expect(result.error).toBeUndefined();
    expect(result.output.toString()).toBe("hello world");
    expect(getComputedChecksums(verifier)).toEqual({ crc32: "DUoRhQ==" });
  });

  it("fails with BadDigest when the trailing CRC32 does not match", async () => {
    const decoder = createChunkedDecoder({ mode: "STREAMING-UNSIGNED-PAYLOAD-TRAILER" });
    const verifier = createPayloadVerifier({ checksums: () => checksumsFromHeaders(decoder.trailers) });
    const result = await runStream([decoder, verifier], [Buffer.from(wire.toString().replace("hello", "hellO"))]);
    expect(result.error).toMatchObject({ code: "BadDigest", status: 400 });
    expect(result.output.length).toBeLessThan(11);
  });
});
