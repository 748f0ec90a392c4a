// Buckets, objects and listing end to end over HTTP with the real AWS SDK: routeRequest + handleOperation on
// a bare node:http server (no authentication: the SDK signs, nobody checks),
// backed by the real fs storage backend in a temporary directory.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand,
  CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketAclCommand,
  GetBucketLocationCommand, GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListBucketsCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsCommand, ListObjectsV2Command,
  ListPartsCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import http from "node:http";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { failure, md5, putWith, text, useOpsServer } from "./gateway-ops-harness";

const ops = useOpsServer();
// The client exists only once the server has started (beforeAll), hence the late binding.
const s3 = { send: ((cmd: never) => ops.s3.send(cmd)) as typeof ops.s3.send };
const put = (...args: Parameters<ReturnType<typeof putWith>>) => putWith(ops.s3)(...args);

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

  it("refuses tags on writes (x-amz-tagging) instead of dropping them, and stores nothing", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "bkt-tags" }));
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: "bkt-tags", Key: "k", Body: "x", Tagging: "team=a" })))).toBe("NotImplemented 501");
    expect(await failure(s3.send(new CreateMultipartUploadCommand({ Bucket: "bkt-tags", Key: "k", Tagging: "team=a" })))).toBe("NotImplemented 501");
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: "bkt-tags", Key: "k" })))).toBe("NotFound 404");
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
    expect([ops.bytesByOp.PutObject, ops.bytesByOp.GetObject]).toEqual([{ inBytes: 11, outBytes: 0 }, { inBytes: 0, outBytes: 11 }]);
    const raw = await fetch(`${ops.endpoint}/${B}/plain`, { method: "PUT", body: new Uint8Array([1]) });
    expect([raw.status, raw.headers.get("etag")]).toEqual([200, `"${md5(Buffer.from([1]))}"`]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: "plain" }))).ContentType).toBe("binary/octet-stream");
    const over = await s3.send(new GetObjectCommand({ Bucket: B, Key: "doc.txt", ResponseContentType: "application/json", ResponseContentDisposition: "attachment" }));
    expect([over.ContentType, over.ContentDisposition]).toEqual(["application/json", "attachment"]);
  });

  it("serves virtual-hosted-style requests", async () => {
    await put(B, "vh/key", "virtual");
    const port = Number(new URL(ops.endpoint).port);
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
    const res = await fetch(`${ops.endpoint}/${B}/digits`, { headers: { range: "bytes=20-30" } });
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
    const res = await fetch(`${ops.endpoint}/${B}/missing`);
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
    for await (const page of paginateListObjectsV2({ client: ops.s3, pageSize: 2 }, { Bucket: B })) {
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
    const res = await fetch(`${ops.endpoint}/${B}?list-type=2&max-keys=-1`);
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
