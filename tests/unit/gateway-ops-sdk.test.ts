// End-to-end over HTTP with the real AWS SDK: routeRequest + handleOperation on
// a bare node:http server (no authentication: the SDK signs, nobody checks),
// backed by the real fs storage backend in a temporary directory.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand,
  CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketAclCommand,
  GetBucketLocationCommand, GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListBucketsCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsCommand, ListObjectsV2Command,
  ListPartsCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Error } from "../../gateway/errors";
import { handleOperation, sendError } from "../../gateway/ops/index";
import { routeRequest } from "../../gateway/router";
import { createFsBackend } from "../../lib/storage/index";

let dir: string;
let server: http.Server;
let endpoint: string;
let s3: S3Client;
const buckets = new Map<string, Date>();
const serverErrors: unknown[] = [];
const bytesByOp: Record<string, [number, number]> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "keygate-gw-"));
  const storage = createFsBackend(dir);
  server = http.createServer(async (req, res) => {
    const requestId = randomUUID();
    const route = routeRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers }, { domains: ["localhost"] });
    if (route instanceof S3Error) return sendError(res, route, requestId, req.method ?? "GET");
    const listBuckets = async () => [...buckets].map(([name, createdAt]) => ({ name, createdAt }));
    await handleOperation({ req, res, body: req, storage, route, requestId, region: "us-east-1", listBuckets,
      onError: (e) => serverErrors.push(e),
      onBytes: (inBytes, outBytes) => (bytesByOp[route.operation] = [inBytes, outBytes]),
    });
    if (route.operation === "CreateBucket" && res.statusCode === 200) buckets.set(route.bucket!, new Date());
    if (route.operation === "DeleteBucket" && res.statusCode === 204) buckets.delete(route.bucket!);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s3 = new S3Client({
    endpoint, region: "us-east-1", forcePathStyle: true,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
});

afterAll(async () => {
  s3?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
  expect(serverErrors).toEqual([]);
});

/** Resolves to the S3 error an SDK call failed with (name, status), or "ok". */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${err.name} ${err.$metadata?.httpStatusCode}`;
  }
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");
const text = async (p: Promise<{ Body?: { transformToString(): Promise<string> } }>) => (await p).Body!.transformToString();
const put = (Bucket: string, Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));

describe("buckets", () => {
  it("creates, heads, lists, locates and deletes buckets", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "bkt-one" }));
    expect((await s3.send(new HeadBucketCommand({ Bucket: "bkt-one" }))).BucketRegion).toBe("us-east-1");
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain("bkt-one");
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: "bkt-one" }))).LocationConstraint).toBeFalsy();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "bkt-one" }))).Status).toBeUndefined();
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: "bkt-one" })))).toMatch(/^BucketAlreadyOwnedByYou 409/);
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).toBe("InvalidBucketName 400");
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: "bkt-x", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })))).toBe("IllegalLocationConstraintException 400");
    await put("bkt-one", "k", "x");
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: "bkt-one" })))).toBe("BucketNotEmpty 409");
    await s3.send(new DeleteObjectCommand({ Bucket: "bkt-one", Key: "k" }));
    await s3.send(new DeleteBucketCommand({ Bucket: "bkt-one" }));
    expect(await failure(s3.send(new HeadBucketCommand({ Bucket: "bkt-one" })))).toBe("NotFound 404");
    expect(await failure(s3.send(new ListObjectsV2Command({ Bucket: "bkt-one" })))).toBe("NoSuchBucket 404");
  });

  it("refuses unsupported subresources with NotImplemented", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "bkt-sub" }));
    expect(await failure(s3.send(new GetBucketAclCommand({ Bucket: "bkt-sub" })))).toBe("NotImplemented 501");
    expect(await failure(s3.send(new PutObjectTaggingCommand({ Bucket: "bkt-sub", Key: "k", Tagging: { TagSet: [] } })))).toBe("NotImplemented 501");
  });
});

describe("objects", () => {
  const B = "bkt-obj";
  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: B })));

  it("puts, gets and heads with metadata and standard headers", async () => {
    const put1 = await put(B, "doc.txt", "hello world", {
      ContentType: "text/plain", Metadata: { color: "blue" }, CacheControl: "no-cache", ContentDisposition: "inline",
      ContentEncoding: "identity", ContentLanguage: "en", Expires: new Date("2030-01-01T00:00:00Z"),
    });
    expect(put1.ETag).toBe(`"${md5("hello world")}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: "doc.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello world");
    expect(got).toMatchObject({
      ContentType: "text/plain", Metadata: { color: "blue" }, CacheControl: "no-cache", ContentDisposition: "inline",
      ContentEncoding: "identity", ContentLanguage: "en", ContentLength: 11, ETag: put1.ETag, AcceptRanges: "bytes",
    });
    expect(got.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "doc.txt" }));
    expect(head).toMatchObject({ ContentLength: 11, ETag: put1.ETag, Metadata: { color: "blue" } });
    expect([bytesByOp.PutObject, bytesByOp.GetObject]).toEqual([[11, 0], [0, 11]]);
    const raw = await fetch(`${endpoint}/${B}/plain`, { method: "PUT", body: new Uint8Array([1]) });
    expect([raw.status, raw.headers.get("etag")]).toEqual([200, `"${md5(Buffer.from([1]))}"`]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: "plain" }))).ContentType).toBe("binary/octet-stream");
    const over = await s3.send(new GetObjectCommand({ Bucket: B, Key: "doc.txt", ResponseContentType: "application/json", ResponseContentDisposition: "attachment" }));
    expect([over.ContentType, over.ContentDisposition]).toEqual(["application/json", "attachment"]);
  });

  it("serves virtual-hosted-style requests", async () => {
    await put(B, "vh/key", "virtual");
    const port = (server.address() as AddressInfo).port;
    const get = (path: string) =>
      new Promise<[number, string]>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path, headers: { host: `${B}.localhost:${port}` } }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (c) => (body += c)).on("end", () => resolve([res.statusCode!, body]));
        }).on("error", reject);
      });
    expect(await get("/vh/key")).toEqual([200, "virtual"]);
    const [status, xml] = await get("/?list-type=2&prefix=vh/");
    expect([status, xml.includes("<Key>vh/key</Key>")]).toEqual([200, true]);
  });

  it("round-trips literal keys without normalization", async () => {
    const keys = ["a/../b", "./x", "dir/", "dir//double", "sp ace+plus", "ünï ✓", "q?mark#hash&amp", "%25", "~tilde*star"];
    for (const key of keys) await put(B, key, `body of ${key}`);
    for (const key of keys) expect(await text(s3.send(new GetObjectCommand({ Bucket: B, Key: key })))).toBe(`body of ${key}`);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: B }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(expect.arrayContaining(keys));
  });

  it("serves ranges", async () => {
    await put(B, "digits", "0123456789");
    const range = async (Range: string) => {
      const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: "digits", Range }));
      return [await r.Body!.transformToString(), r.ContentRange, r.ContentLength];
    };
    expect(await range("bytes=0-4")).toEqual(["01234", "bytes 0-4/10", 5]);
    expect(await range("bytes=7-")).toEqual(["789", "bytes 7-9/10", 3]);
    expect(await range("bytes=-3")).toEqual(["789", "bytes 7-9/10", 3]);
    expect(await range("bytes=5-100")).toEqual(["56789", "bytes 5-9/10", 5]);
    expect(await range("bytes=0-1,3-4")).toEqual(["0123456789", undefined, 10]);
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: "digits", Range: "bytes=10-" })))).toBe("InvalidRange 416");
    const res = await fetch(`${endpoint}/${B}/digits`, { headers: { range: "bytes=20-30" } });
    expect([res.status, res.headers.get("content-range")]).toEqual([416, "bytes */10"]);
  });

  it("evaluates conditional requests", async () => {
    const { ETag } = await put(B, "cond", "v1");
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    const get = (extra: Record<string, unknown>) => failure(s3.send(new GetObjectCommand({ Bucket: B, Key: "cond", ...extra })));
    expect(await get({ IfMatch: ETag })).toBe("ok");
    expect(await get({ IfMatch: '"nope"' })).toBe("PreconditionFailed 412");
    expect(await get({ IfNoneMatch: ETag })).toMatch(/ 304$/);
    expect(await get({ IfNoneMatch: '"nope"' })).toBe("ok");
    expect(await get({ IfModifiedSince: future })).toMatch(/ 304$/);
    expect(await get({ IfModifiedSince: past })).toBe("ok");
    expect(await get({ IfUnmodifiedSince: past })).toBe("PreconditionFailed 412");
    expect(await get({ IfMatch: ETag, IfUnmodifiedSince: past })).toBe("ok");
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "cond", IfMatch: '"nope"' })))).toMatch(/ 412$/);
    expect(await failure(put(B, "cond", "v2", { IfNoneMatch: "*" }))).toBe("PreconditionFailed 412");
    expect(await failure(put(B, "cond-new", "v1", { IfNoneMatch: "*" }))).toBe("ok");
  });

  it("reports missing keys and buckets", async () => {
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: "missing" })))).toBe("NoSuchKey 404");
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "missing" })))).toBe("NotFound 404");
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: "no-such-bkt", Key: "k" })))).toBe("NoSuchBucket 404");
    expect(await failure(put("no-such-bkt", "k", "x"))).toBe("NoSuchBucket 404");
    const res = await fetch(`${endpoint}/${B}/missing`);
    const body = await res.text();
    expect(res.headers.get("x-amz-request-id")).toBeTruthy();
    expect(res.headers.get("x-amz-id-2")).toBeTruthy();
    expect(res.headers.get("server")).toBe("Keygate");
    expect(body).toContain(`<RequestId>${res.headers.get("x-amz-request-id")}</RequestId>`);
    expect(body).toContain(`<Resource>/${B}/missing</Resource>`);
  });

  it("deletes objects idempotently", async () => {
    await put(B, "gone", "x");
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: "gone" }));
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: "gone" }));
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "gone" })))).toBe("NotFound 404");
  });

  it("verifies Content-MD5", async () => {
    const good = createHash("md5").update("abc").digest("base64");
    expect(await failure(put(B, "md5", "abc", { ContentMD5: good }))).toBe("ok");
    expect(await failure(put(B, "md5-bad", "abc", { ContentMD5: createHash("md5").update("x").digest("base64") }))).toBe("BadDigest 400");
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "md5-bad" })))).toBe("NotFound 404");
  });
});

describe("listing", () => {
  const B = "bkt-list";
  const keys = ["a.txt", "b/1", "b/2", "b/3", "c/1", "d.txt", "e.txt"];
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    for (const k of keys) await put(B, k, k);
  });

  it("pages v2 with continuation tokens and delimiter", async () => {
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: B })) {
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(seen).toEqual(keys);
    const p1 = await s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: "/", MaxKeys: 3 }));
    expect([p1.Contents?.map((c) => c.Key), p1.CommonPrefixes?.map((c) => c.Prefix), p1.IsTruncated]).toEqual([["a.txt"], ["b/", "c/"], true]);
    const p2 = await s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: "/", MaxKeys: 3, ContinuationToken: p1.NextContinuationToken }));
    expect([p2.Contents?.map((c) => c.Key), p2.CommonPrefixes, p2.IsTruncated, p2.KeyCount]).toEqual([["d.txt", "e.txt"], undefined, false, 2]);
    const sa = await s3.send(new ListObjectsV2Command({ Bucket: B, StartAfter: "b/3", Prefix: "" }));
    expect(sa.Contents?.map((c) => c.Key)).toEqual(["c/1", "d.txt", "e.txt"]);
    expect(await failure(s3.send(new ListObjectsV2Command({ Bucket: B, ContinuationToken: "bogus!" })))).toBe("InvalidArgument 400");
  });

  it("pages v1 with marker, NextMarker only with a delimiter", async () => {
    const p1 = await s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 2 }));
    expect([p1.Contents?.map((c) => c.Key), p1.IsTruncated, p1.NextMarker]).toEqual([["a.txt", "b/1"], true, undefined]);
    const p2 = await s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 2, Marker: "b/1" }));
    expect(p2.Contents?.map((c) => c.Key)).toEqual(["b/2", "b/3"]);
    const d = await s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 2, Delimiter: "/" }));
    expect([d.CommonPrefixes?.map((c) => c.Prefix), d.NextMarker]).toEqual([["b/"], "b/"]);
    const pre = await s3.send(new ListObjectsCommand({ Bucket: B, Prefix: "b/" }));
    expect(pre.Contents?.map((c) => c.Key)).toEqual(["b/1", "b/2", "b/3"]);
  });

  it("handles max-keys edge cases, encoding-type=url and versions", async () => {
    const zero = await s3.send(new ListObjectsV2Command({ Bucket: B, MaxKeys: 0 }));
    expect([zero.KeyCount, zero.IsTruncated]).toEqual([0, false]);
    const big = await s3.send(new ListObjectsV2Command({ Bucket: B, MaxKeys: 5000 }));
    expect(big.MaxKeys).toBe(1000);
    const res = await fetch(`${endpoint}/${B}?list-type=2&max-keys=-1`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>InvalidArgument</Code>");
    await put(B, "z sp+ace", "x");
    const enc = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "z ", EncodingType: "url" }));
    expect([enc.Prefix, enc.Contents?.[0].Key]).toEqual(["z+", "z+sp%2Bace"]);
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: B, MaxKeys: 3 }));
    expect(v.Versions?.map((x) => [x.Key, x.VersionId, x.IsLatest])).toEqual([["a.txt", "null", true], ["b/1", "null", true], ["b/2", "null", true]]);
    expect([v.IsTruncated, v.NextKeyMarker, v.NextVersionIdMarker]).toEqual([true, "b/2", "null"]);
  });
});

describe("copy", () => {
  const B = "bkt-copy";
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await put(B, "src key+ü", "source body", { ContentType: "text/x-src", Metadata: { m: "1" } });
  });
  const source = `${B}/${encodeURIComponent("src key+ü")}`;

  it("copies with COPY and REPLACE directives", async () => {
    const c1 = await s3.send(new CopyObjectCommand({ Bucket: B, Key: "dst1", CopySource: source }));
    expect(c1.CopyObjectResult?.ETag).toBe(`"${md5("source body")}"`);
    const h1 = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "dst1" }));
    expect([h1.ContentType, h1.Metadata]).toEqual(["text/x-src", { m: "1" }]);
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: "dst2", CopySource: `/${source}?versionId=null`, MetadataDirective: "REPLACE", ContentType: "text/new", Metadata: { n: "2" } }));
    const h2 = await s3.send(new HeadObjectCommand({ Bucket: B, Key: "dst2" }));
    expect([h2.ContentType, h2.Metadata]).toEqual(["text/new", { n: "2" }]);
    expect(await text(s3.send(new GetObjectCommand({ Bucket: B, Key: "dst2" })))).toBe("source body");
  });

  it("refuses a copy onto itself without REPLACE, allows it with REPLACE", async () => {
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: B, Key: "src key+ü", CopySource: source })))).toBe("InvalidRequest 400");
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: B, Key: "src key+ü", CopySource: source, MetadataDirective: "REPLACE", Metadata: { m: "3" } })))).toBe("ok");
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: "src key+ü" }))).Metadata).toEqual({ m: "3" });
  });

  it("checks copy-source conditions and missing sources", async () => {
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: B, Key: "dst3", CopySource: source, CopySourceIfMatch: '"nope"' })))).toBe("PreconditionFailed 412");
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: B, Key: "dst3", CopySource: `${B}/missing` })))).toBe("NoSuchKey 404");
  });
});

describe("multipart", () => {
  const B = "bkt-mpu";
  const MiB5 = 5 * 1024 * 1024;
  const part1 = Buffer.alloc(MiB5, 1);
  const copySrc = Buffer.concat([Buffer.from("0123456789"), Buffer.alloc(MiB5, 2)]);
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await put(B, "copy-src", copySrc);
  });

  it("creates, uploads, copies a part, lists and completes", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: "big", ContentType: "app/x", Metadata: { a: "b" } }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: B, Key: "big", UploadId, PartNumber: 1, Body: part1 }));
    const copied = copySrc.subarray(2);
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: "big", UploadId, PartNumber: 2, CopySource: `${B}/copy-src`, CopySourceRange: `bytes=2-${copySrc.length - 1}` }));
    expect(p2.CopyPartResult?.ETag).toBe(`"${md5(copied)}"`);
    const p3 = await s3.send(new UploadPartCommand({ Bucket: B, Key: "big", UploadId, PartNumber: 3, Body: "tail" }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: B, Key: "big", UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, part1.length], [2, copied.length], [3, 4]]);
    const paged = await s3.send(new ListPartsCommand({ Bucket: B, Key: "big", UploadId, MaxParts: 1, PartNumberMarker: "1" }));
    expect([paged.Parts?.map((p) => p.PartNumber), paged.IsTruncated, paged.NextPartNumberMarker]).toEqual([[2], true, "2"]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([["big", UploadId]]);
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: B, Key: "big", UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult?.ETag }, { PartNumber: 3, ETag: p3.ETag }] },
    }));
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(done.Location).toBe(`${endpoint}/${B}/big`);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: "big" }));
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(Buffer.concat([part1, copied, Buffer.from("tail")])));
    expect([got.ContentType, got.Metadata]).toEqual(["app/x", { a: "b" }]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads).toBeUndefined();
  });

  it("validates part numbers, sizes and upload ids", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: "bad" }));
    const up = (PartNumber: number) => failure(s3.send(new UploadPartCommand({ Bucket: B, Key: "bad", UploadId, PartNumber, Body: "x" })));
    expect(await up(0)).toBe("InvalidArgument 400");
    expect(await up(10001)).toBe("InvalidArgument 400");
    const a = await s3.send(new UploadPartCommand({ Bucket: B, Key: "bad", UploadId, PartNumber: 1, Body: "small" }));
    const b = await s3.send(new UploadPartCommand({ Bucket: B, Key: "bad", UploadId, PartNumber: 2, Body: "small" }));
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: "bad", UploadId, MultipartUpload: { Parts } })));
    expect(await complete([{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }])).toBe("EntityTooSmall 400");
    expect(await complete([{ PartNumber: 1, ETag: '"0000"' }])).toBe("InvalidPart 400");
    expect(await failure(s3.send(new UploadPartCopyCommand({ Bucket: B, Key: "bad", UploadId, PartNumber: 3, CopySource: `${B}/copy-src`, CopySourceRange: `bytes=5-${copySrc.length}` })))).toBe("InvalidArgument 400");
    await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: "bad", UploadId }));
    expect(await failure(s3.send(new ListPartsCommand({ Bucket: B, Key: "bad", UploadId })))).toBe("NoSuchUpload 404");
    expect(await failure(s3.send(new UploadPartCommand({ Bucket: B, Key: "bad", UploadId, PartNumber: 1, Body: "x" })))).toBe("NoSuchUpload 404");
  });
});

describe("delete objects", () => {
  const B = "bkt-del";
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    for (const k of ["a", "b&<c>", "c", "d"]) await put(B, k, k);
  });

  it("deletes many keys, reporting each, and quietly", async () => {
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: "a" }, { Key: "b&<c>" }, { Key: "never-existed" }, { Key: "c", VersionId: "v9" }] } }));
    expect(r.Deleted?.map((d) => d.Key)).toEqual(["a", "b&<c>", "never-existed"]);
    expect(r.Errors?.map((e) => [e.Key, e.Code])).toEqual([["c", "NoSuchVersion"]]);
    const q = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Quiet: true, Objects: [{ Key: "c" }, { Key: "d" }] } }));
    expect([q.Deleted, q.Errors]).toEqual([undefined, undefined]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: B }))).KeyCount).toBe(0);
    expect(await failure(s3.send(new DeleteObjectsCommand({ Bucket: "no-such-bkt", Delete: { Objects: [{ Key: "a" }] } })))).toBe("NoSuchBucket 404");
  });

  it("refuses malformed bodies", async () => {
    const res = await fetch(`${endpoint}/${B}?delete`, { method: "POST", body: "<Delete><Object>" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>MalformedXML</Code>");
  });
});

describe("streaming robustness", () => {
  const B = "bkt-stream";
  const big = Buffer.alloc(8 * 1024 * 1024, 7);
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await put(B, "big", big);
  });

  it("survives a client aborting a download", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${endpoint}/${B}/big`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? resolve() : reject(e)));
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: "big" }))).ContentLength).toBe(big.length);
  });

  it("does not create an object from an aborted upload", async () => {
    await new Promise<void>((resolve) => {
      const req = http.request(`${endpoint}/${B}/partial`, { method: "PUT", headers: { "content-length": String(big.length) } });
      req.on("error", () => resolve());
      req.write(big.subarray(0, 1024 * 1024), () => setTimeout(() => { req.destroy(); resolve(); }, 20));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "partial" })))).toBe("NotFound 404");
    expect((await s3.send(new GetObjectCommand({ Bucket: B, Key: "big" }))).ContentLength).toBe(big.length);
  });
});
