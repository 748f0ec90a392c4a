// Copy, multipart, DeleteObjects and streaming end to end over HTTP with the real AWS SDK: routeRequest + handleOperation on
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
    expect(done.Location).toBe(`${ops.endpoint}/${B}/big`);
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
    expect(r.Errors?.map((e) => [e.Key, e.Code])).toEqual([["c", "InvalidArgument"]]);
    const q = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Quiet: true, Objects: [{ Key: "c" }, { Key: "d" }] } }));
    expect([q.Deleted, q.Errors]).toEqual([undefined, undefined]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: B }))).KeyCount).toBe(0);
    expect(await failure(s3.send(new DeleteObjectsCommand({ Bucket: "no-such-bkt", Delete: { Objects: [{ Key: "a" }] } })))).toBe("NoSuchBucket 404");
  });

  it("refuses malformed bodies", async () => {
    const res = await fetch(`${ops.endpoint}/${B}?delete`, { method: "POST", body: "<Delete><Object>" });
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
      const req = http.get(`${ops.endpoint}/${B}/big`, (res) => {
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
      const req = http.request(`${ops.endpoint}/${B}/partial`, { method: "PUT", headers: { "content-length": String(big.length) } });
      req.on("error", () => resolve());
      req.write(big.subarray(0, 1024 * 1024), () => setTimeout(() => { req.destroy(); resolve(); }, 20));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: "partial" })))).toBe("NotFound 404");
    expect((await s3.send(new GetObjectCommand({ Bucket: B, Key: "big" }))).ContentLength).toBe(big.length);
  });
});
