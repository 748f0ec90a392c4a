// Where the gateway used to differ from S3, now answered as S3 does, with the AWS SDK against the
// real gateway (boto3's view of the same rules is in gateway-s3-differences-boto3.test.ts).
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand,
  GetObjectCommand, HeadBucketCommand, ListMultipartUploadsCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand,
  type S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { createSigner, signedSend } from "../bench/sign";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let client: S3Client;
let scoped: S3Client;
let bucket: string;
let other: string;
let foreign: string;
let key: { accessKeyId: string; secret: string };
const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => `${e?.$metadata?.httpStatusCode} ${e?.name}`);
const missing = () => `missing-${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["diff", "diff-other"]);
  [bucket, other] = seeded.buckets;
  key = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  client = s3(gw, key);
  const bucketId = (await testDb().bucket.findFirstOrThrow({ where: { name: bucket } })).id;
  scoped = s3(gw, await createSubKey(testDb(), seeded.admin, {
    projectId: seeded.project.id, name: "one", regionId: "local", permissions: ["read", "write", "list"], bucketScope: "selected", bucketIds: [bucketId],
  }));
  foreign = (await seedProject(gw, ["foreign"])).buckets[0];
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: "src.txt", Body: "source" }));
});
afterAll(async () => { await gw?.stop(); });

describe("NoSuchBucket when no bucket of that name exists in the region, AccessDenied otherwise", () => {
  it("answers every operation on a missing bucket with 404 NoSuchBucket", async () => {
    const name = missing();
    expect(await code(client.send(new HeadBucketCommand({ Bucket: name })))).toBe("404 NotFound"); // HEAD: no body, the SDK names it NotFound
    expect(await code(client.send(new GetObjectCommand({ Bucket: name, Key: "k" })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new DeleteBucketCommand({ Bucket: name })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new ListObjectsCommand({ Bucket: name })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: name })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy", CopySource: `${name}/src.txt` })))).toBe("404 NoSuchBucket");
    // A key with fewer rights learns the same public fact, no more.
    expect(await code(scoped.send(new ListObjectsV2Command({ Bucket: name })))).toBe("404 NoSuchBucket");
  });

  it("keeps AccessDenied for buckets that exist but are not the key's", async () => {
    expect(await code(client.send(new HeadBucketCommand({ Bucket: foreign })))).toMatch(/^403 /); // HEAD: status only
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: foreign })))).toBe("403 AccessDenied");
    expect(await code(client.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy", CopySource: `${foreign}/x` })))).toBe("403 AccessDenied");
    expect(await code(scoped.send(new ListObjectsV2Command({ Bucket: other })))).toBe("403 AccessDenied");
  });

  it("answers NoSuchBucket after the bucket was deleted", async () => {
    const name = missing();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    await client.send(new DeleteBucketCommand({ Bucket: name }));
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: name })))).toBe("404 NoSuchBucket");
    expect(await code(client.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" })))).toBe("404 NoSuchBucket");
  });
});

describe("DeleteBucket with pending multipart uploads", () => {
  it("aborts them with the bucket", async () => {
    const name = missing();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    for (const k of ["a", "b/c"]) await client.send(new CreateMultipartUploadCommand({ Bucket: name, Key: k }));
    await client.send(new DeleteBucketCommand({ Bucket: name }));
    expect(await code(client.send(new ListMultipartUploadsCommand({ Bucket: name })))).toBe("404 NoSuchBucket");
  });

  it("refuses a bucket that still holds objects, and keeps its uploads", async () => {
    const name = missing();
    await client.send(new CreateBucketCommand({ Bucket: name }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: "stays", Body: "x" }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: name, Key: "pending" }));
    expect(await code(client.send(new DeleteBucketCommand({ Bucket: name })))).toBe("409 BucketNotEmpty");
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: name }))).Uploads?.map((u) => u.Key)).toEqual(["pending"]);
  });
});

describe("CompleteMultipartUpload twice", () => {
  it("answers the repeat with 200 and the same ETag; another part list stays NoSuchUpload", async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "twice.bin" }));
    const part = await client.send(new UploadPartCommand({ Bucket: bucket, Key: "twice.bin", UploadId, PartNumber: 1, Body: randomBytes(1000) }));
    const request = { Bucket: bucket, Key: "twice.bin", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } };
    const first = await client.send(new CompleteMultipartUploadCommand(request));
    const second = await client.send(new CompleteMultipartUploadCommand(request));
    expect(first.ETag).toMatch(/-1"$/);
    expect(second.ETag).toBe(first.ETag);
    const wrong = { ...request, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${"0".repeat(32)}"` }] } };
    expect(await code(client.send(new CompleteMultipartUploadCommand(wrong)))).toBe("404 NoSuchUpload");
  });
});

describe("Content-Encoding", () => {
  it("drops aws-chunked and keeps the other codings", async () => {
    const sent: string[] = [];
    const c = s3(gw, key);
    c.middlewareStack.add((next) => async (args) => {
      sent.push((args.request as { headers: Record<string, string> }).headers["content-encoding"]);
      return next(args);
    }, { step: "finalizeRequest", priority: "low" });
    // A stream body makes the SDK send aws-chunked with a trailer checksum.
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: "gz.bin", ContentLength: 4, ContentEncoding: "gzip", Body: Readable.from([Buffer.from("gzzz")]) }));
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: "plain.bin", ContentLength: 4, Body: Readable.from([Buffer.from("abcd")]) }));
    expect(sent).toEqual(["gzip,aws-chunked", "aws-chunked"]);
    expect((await c.send(new GetObjectCommand({ Bucket: bucket, Key: "gz.bin" }))).ContentEncoding).toBe("gzip");
    expect((await c.send(new GetObjectCommand({ Bucket: bucket, Key: "plain.bin" }))).ContentEncoding).toBeUndefined();
  });
});

describe("ListObjectsV2", () => {
  it("treats an empty continuation-token as absent", async () => {
    const signer = await createSigner({ ...key, region: "local" });
    const res = await signedSend(signer, { method: "GET", url: `${gw.url}/${bucket}?list-type=2&continuation-token=` });
    expect(res.status, res.body.toString()).toBe(200);
    expect(res.body.toString()).toContain("<Key>src.txt</Key>");
    expect(res.body.toString()).not.toContain("<ContinuationToken>");
  });

  it("returns each object's Owner with fetch-owner=true only", async () => {
    const withOwner = await client.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    expect(withOwner.Contents?.[0].Owner?.ID).toBeTruthy();
    const without = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(without.Contents?.[0].Owner).toBeUndefined();
  });
});
