// The S3 protocol at the wire: presigned URLs, response overrides, Range, conditionals, payload
// integrity, the authentication failures a client can provoke, error documents, and the operator
// endpoints (whose metrics count this file's auth failures, so they run last). Requests are raw
// HTTP (tests/bench/sign.ts signs them) wherever the SDK would refuse to send the request we need.
// A database outage is gateway-db-outage.test.ts.
import { createHash, randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand,
  DeleteObjectCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { type RawResponse, type Signer, createSigner, send, signedSend } from "../bench/sign";
import { expectS3Error } from "./gateway-assert";
import { type Gateway, s3, seedMasterKey, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let key: IssuedKey;
let bucket: string;
let signer: Signer;
let client: S3Client;
let objUrl: string;
let etag: string;
let ctx: Awaited<ReturnType<typeof seedMasterKey>>;
/** A bucket of another organization's project: it exists, so it is AccessDenied, not NoSuchBucket. */
let foreign: string;
const TEN = "0123456789";

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedMasterKey(gw, ["proto"]);
  ({ key, client, signer } = seeded);
  bucket = seeded.buckets[0];
  etag = (await client.send(new PutObjectCommand({ Bucket: bucket, Key: "ten.txt", Body: TEN, ContentType: "text/plain" }))).ETag!;
  objUrl = `${gw.url}/${bucket}/ten.txt`;
  ctx = seeded;
  foreign = (await seedProject(gw, ["foreign"])).buckets[0];
});
afterAll(async () => { await gw?.stop(); });

const get = (url: string, headers: Record<string, string> = {}, method = "GET") => signedSend(signer, { method, url, headers });

describe("presigned URLs", () => {
  it("GET and PUT through presigned URLs", async () => {
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "ten.txt" }), { expiresIn: 300 });
    const res = await send(getUrl);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(TEN);
    // Presigning a PUT with the SDK's default checksum settings would sign an x-amz-checksum of
    // the empty body; the browser/curl use case signs no checksum.
    const presigner = new S3Client({
      endpoint: gw.url, region: "local", forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED",
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secret },
    });
    const putUrl = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: bucket, Key: "presigned.txt" }), { expiresIn: 300 });
    const put = await send(putUrl, { method: "PUT", body: "via presigned PUT", headers: { "content-length": "17" } });
    expect(put.status).toBe(200);
    expect((await get(`${gw.url}/${bucket}/presigned.txt`)).body.toString()).toBe("via presigned PUT");
  });

  it("an expired presigned URL → 403 AccessDenied", async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "ten.txt" }), { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const doc = expectS3Error(await send(url), 403, "AccessDenied");
    expect(doc?.Message).toBe("Request has expired");
  });

  it("a presigned URL that outlives its key → 403 AccessDenied; a shorter one works", async () => {
    const shortLived = await createSubKey(testDb(), ctx.admin, {
      projectId: ctx.project.id, name: "1h", regionId: "local", permissions: ["read"], expiry: "custom", expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const c = s3(gw, shortLived);
    const tooLong = await getSignedUrl(c, new GetObjectCommand({ Bucket: bucket, Key: "ten.txt" }), { expiresIn: 7200 });
    expectS3Error(await send(tooLong), 403, "AccessDenied");
    const fine = await getSignedUrl(c, new GetObjectCommand({ Bucket: bucket, Key: "ten.txt" }), { expiresIn: 600 });
    expect((await send(fine)).status).toBe(200);
  });

  it("response-content-type and response-content-disposition override the stored headers", async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({
      Bucket: bucket, Key: "ten.txt", ResponseContentType: "application/x-override", ResponseContentDisposition: 'attachment; filename="x.txt"',
    }), { expiresIn: 300 });
    const res = await send(url);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-override");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="x.txt"');
    const viaHeader = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "ten.txt", ResponseContentType: "text/x-sdk" }));
    expect(viaHeader.ContentType).toBe("text/x-sdk");
    expect((await get(objUrl)).headers["content-type"]).toBe("text/plain");
  });
});

describe("Range and conditional requests", () => {
  it.each([
    ["bytes=2-5", "2345", "bytes 2-5/10"],
    ["bytes=7-", "789", "bytes 7-9/10"],
    ["bytes=-3", "789", "bytes 7-9/10"],
    ["bytes=8-100", "89", "bytes 8-9/10"],
  ])("Range %s → 206 %s", async (range, body, contentRange) => {
    const res = await get(objUrl, { range });
    expect(res.status).toBe(206);
    expect(res.body.toString()).toBe(body);
    expect(res.headers["content-range"]).toBe(contentRange);
    expect(res.headers["content-length"]).toBe(String(body.length));
  });

  it("an unsatisfiable range → 416 InvalidRange with Content-Range bytes */size", async () => {
    const res = await get(objUrl, { range: "bytes=10-" });
    expectS3Error(res, 416, "InvalidRange");
    expect(res.headers["content-range"]).toBe("bytes */10");
  });

  it("If-None-Match: etag → 304 without body; If-Match mismatch → 412 PreconditionFailed; matches → 200", async () => {
    const notModified = await get(objUrl, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe(etag);
    expectS3Error(await get(objUrl, { "if-match": '"00000000000000000000000000000000"' }), 412, "PreconditionFailed");
    expect((await get(objUrl, { "if-match": etag })).status).toBe(200);
    expect((await get(objUrl, { "if-modified-since": new Date(Date.now() + 3600_000).toUTCString() })).status).toBe(304);
    expectS3Error(await get(objUrl, { "if-unmodified-since": "Mon, 01 Jan 2001 00:00:00 GMT" }), 412, "PreconditionFailed");
  });
});

describe("conditional writes (If-None-Match: *, If-Match)", () => {
  const body = async (k: string) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key: k }))).Body!.transformToString();
  const rejected = (p: Promise<unknown>) => p.then(() => "ok", (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.$metadata?.httpStatusCode} ${e.name}`);

  it("PutObject: create-only and compare-and-swap refuse with 412 and leave the object alone", async () => {
    const k = `cond/put-${randomBytes(3).toString("hex")}`;
    const first = await client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: "original", IfNoneMatch: "*" }));
    expect(await rejected(client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: "replaced", IfNoneMatch: "*" })))).toBe("412 PreconditionFailed");
    expect(await rejected(client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: "replaced", IfMatch: '"00000000000000000000000000000000"' })))).toBe("412 PreconditionFailed");
    expect(await rejected(client.send(new PutObjectCommand({ Bucket: bucket, Key: `${k}-missing`, Body: "x", IfMatch: first.ETag })))).toBe("404 NoSuchKey");
    expect(await body(k)).toBe("original");
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: "swapped", IfMatch: first.ETag }));
    expect(await body(k)).toBe("swapped");
  });

  it("CompleteMultipartUpload: the same conditions, checked at completion; a retry of a completion that went through gets 200", async () => {
    const k = `cond/mpu-${randomBytes(3).toString("hex")}`;
    const original = await client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: "original" }));
    const upload = async (data: string, Key = k) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
      const part = await client.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: data }));
      return { Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } };
    };
    const replaced = await upload("REPLACED");
    expect(await rejected(client.send(new CompleteMultipartUploadCommand({ ...replaced, IfNoneMatch: "*" })))).toBe("412 PreconditionFailed");
    expect(await rejected(client.send(new CompleteMultipartUploadCommand({ ...replaced, IfMatch: '"00000000000000000000000000000000"' })))).toBe("412 PreconditionFailed");
    expect(await body(k)).toBe("original");
    // The refused upload is still there: it can be completed with the right condition.
    const done = await client.send(new CompleteMultipartUploadCommand({ ...replaced, IfMatch: original.ETag }));
    expect(await body(k)).toBe("REPLACED");
    // The response of that completion was lost: the client retries it, the object is already its result.
    expect((await client.send(new CompleteMultipartUploadCommand({ ...replaced, IfMatch: original.ETag }))).ETag).toBe(done.ETag);
    const other = await upload("OTHER");
    expect(await rejected(client.send(new CompleteMultipartUploadCommand({ ...other, IfNoneMatch: "*" })))).toBe("412 PreconditionFailed");
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: k, UploadId: other.UploadId }));
    expect(await body(k)).toBe("REPLACED");
    // Create-only on a key that does not exist yet goes through.
    await client.send(new CompleteMultipartUploadCommand({ ...(await upload("CREATED", `${k}-new`)), IfNoneMatch: "*" }));
    expect(await body(`${k}-new`)).toBe("CREATED");
  });
});

describe("payload integrity", () => {
  const md5 = (s: string) => createHash("md5").update(s).digest("base64");
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");

  it("Content-MD5 mismatch → 400 BadDigest, and nothing is stored", async () => {
    const url = `${gw.url}/${bucket}/md5.txt`;
    expectS3Error(await signedSend(signer, { method: "PUT", url, body: "hello", headers: { "content-md5": md5("other") } }), 400, "BadDigest");
    expectS3Error(await signedSend(signer, { method: "PUT", url, body: "hello", payloadHash: "UNSIGNED-PAYLOAD", headers: { "content-md5": md5("other") } }), 400, "BadDigest");
    expectS3Error(await get(url, {}, "HEAD"), 404, "NoSuchKey", "HEAD");
    expect((await signedSend(signer, { method: "PUT", url, body: "hello", headers: { "content-md5": md5("hello") } })).status).toBe(200);
  });

  it("x-amz-content-sha256 that does not match the body → 400 XAmzContentSHA256Mismatch, and nothing is stored", async () => {
    const url = `${gw.url}/${bucket}/sha.txt`;
    expectS3Error(await signedSend(signer, { method: "PUT", url, body: "hello", payloadHash: sha("other") }), 400, "XAmzContentSHA256Mismatch");
    const big = randomBytes(3 * 1024 * 1024);
    expectS3Error(await signedSend(signer, { method: "PUT", url, body: big, payloadHash: sha("other") }), 400, "XAmzContentSHA256Mismatch");
    expectS3Error(await get(url, {}, "HEAD"), 404, "NoSuchKey", "HEAD");
  });
});

describe("authentication failures", () => {
  it("SigV2 Authorization → 400 InvalidRequest", async () => {
    const res = await send(objUrl, { headers: { authorization: `AWS ${key.accessKeyId}:${randomBytes(20).toString("base64")}`, date: new Date().toUTCString() } });
    expectS3Error(res, 400, "InvalidRequest");
    expectS3Error(await send(`${objUrl}?AWSAccessKeyId=${key.accessKeyId}&Expires=9999999999&Signature=abc`), 400, "InvalidRequest");
  });

  it("anonymous → 403 AccessDenied (GET, PUT, ListBuckets; HEAD without body)", async () => {
    expectS3Error(await send(objUrl), 403, "AccessDenied");
    expectS3Error(await send(`${gw.url}/${bucket}/anon.txt`, { method: "PUT", body: "x" }), 403, "AccessDenied");
    expectS3Error(await send(`${gw.url}/`), 403, "AccessDenied");
    expectS3Error(await send(objUrl, { method: "HEAD" }), 403, "AccessDenied", "HEAD");
  });

  it("a clock 20 minutes off (either way) → 403 RequestTimeTooSkewed; 10 minutes is accepted", async () => {
    for (const offset of [-20, 20]) {
      const res = await signedSend(signer, { method: "GET", url: objUrl, date: new Date(Date.now() + offset * 60_000) });
      expectS3Error(res, 403, "RequestTimeTooSkewed");
    }
    expect((await signedSend(signer, { method: "GET", url: objUrl, date: new Date(Date.now() - 10 * 60_000) })).status).toBe(200);
  });

  it("HEAD errors carry the status and request id but no body", async () => {
    expectS3Error(await get(`${gw.url}/${bucket}/missing`, {}, "HEAD"), 404, "NoSuchKey", "HEAD");
    const wrong = await createSigner({ accessKeyId: key.accessKeyId, secret: `${key.secret}x`, region: "local" });
    expectS3Error(await signedSend(wrong, { method: "HEAD", url: objUrl }), 403, "SignatureDoesNotMatch", "HEAD");
    expectS3Error(await get(`${gw.url}/no-such-bucket-here/x`, {}, "HEAD"), 404, "NoSuchBucket", "HEAD");
    expectS3Error(await get(`${gw.url}/${foreign}/x`, {}, "HEAD"), 403, "AccessDenied", "HEAD");
  });

  it("error documents name the resource for auth, scope and storage failures alike", async () => {
    const wrong = await createSigner({ accessKeyId: key.accessKeyId, secret: `${key.secret}x`, region: "local" });
    expect(expectS3Error(await signedSend(wrong, { method: "GET", url: objUrl }), 403, "SignatureDoesNotMatch")?.Resource).toBe(`/${bucket}/ten.txt`);
    expect(expectS3Error(await get(`${gw.url}/${foreign}/k`), 403, "AccessDenied")?.Resource).toBe(`/${foreign}/k`);
    expect(expectS3Error(await get(`${gw.url}/other-bucket-xyz/k`), 404, "NoSuchBucket")?.Resource).toBe("/other-bucket-xyz/k");
    expect(expectS3Error(await get(`${gw.url}/${bucket}/missing`), 404, "NoSuchKey")?.Resource).toBe(`/${bucket}/missing`);
    const unknown = await createSigner({ accessKeyId: "KGNOSUCHKEY000000000", secret: "x", region: "local" });
    expectS3Error(await signedSend(unknown, { method: "GET", url: `${gw.url}/` }), 403, "InvalidAccessKeyId");
  });
});

describe("bucket create and delete through the gateway", () => {
  it("are visible to the very next request on the same gateway (no wait for NOTIFY)", async () => {
    for (let i = 0; i < 10; i++) {
      const name = `ryw-${i}-${randomBytes(3).toString("hex")}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(name);
      await client.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "v" }));
      await client.send(new DeleteObjectCommand({ Bucket: name, Key: "k" }));
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain(name);
      expect((await signedSend(signer, { method: "GET", url: `${gw.url}/${name}?list-type=2` })).status).toBe(404); // NoSuchBucket
    }
  });
});

describe("request events", () => {
  it("carry the S3 error code of failed operations as well as of denials", async () => {
    const missing = await get(`${gw.url}/${bucket}/events-missing`);
    const denied = await get(`${gw.url}/${foreign}/k`);
    const precondition = await get(objUrl, { "if-match": '"0"' });
    await gw.events.flush();
    const byRequest = async (res: RawResponse) =>
      testDb().event.findFirstOrThrow({ where: { requestId: String(res.headers["x-amz-request-id"]) }, select: { status: true, errorCode: true, outcome: true } });
    expect(await byRequest(missing)).toEqual({ status: 404, errorCode: "NoSuchKey", outcome: "allowed" });
    expect(await byRequest(denied)).toEqual({ status: 403, errorCode: "AccessDenied", outcome: "denied" });
    expect(await byRequest(precondition)).toEqual({ status: 412, errorCode: "PreconditionFailed", outcome: "allowed" });
    const notEmpty = await signedSend(signer, { method: "DELETE", url: `${gw.url}/${bucket}` });
    expectS3Error(notEmpty, 409, "BucketNotEmpty");
    await gw.events.flush();
    expect(await byRequest(notEmpty)).toEqual({ status: 409, errorCode: "BucketNotEmpty", outcome: "allowed" });
  });
});

describe("operator endpoints", () => {
  it("/health, /health/live and /health/ready answer ok; /metrics has request counts and auth failures by reason", async () => {
    for (const path of ["/health", "/health/live", "/health/ready"]) {
      const health = await send(`${gw.url}${path}`);
      expect([health.status, health.body.toString()], path).toEqual([200, "ok"]);
    }
    const metrics = (await send(`${gw.url}/metrics`)).body.toString();
    expect(metrics).toMatch(/keygate_s3_requests_total\{operation="GetObject",status="200"\} \d+/);
    expect(metrics).toMatch(/keygate_s3_requests_total\{operation="GetObject",status="403"\} \d+/);
    for (const reason of ["anonymous", "sigv2", "clock_skew", "bad_signature", "presign_expired", "unknown_key"]) {
      expect(metrics, reason).toMatch(new RegExp(`keygate_s3_auth_failures_total\\{reason="${reason}"\\} [1-9]`));
    }
    expect(metrics).toContain("keygate_s3_request_duration_seconds_bucket");
  });
});
