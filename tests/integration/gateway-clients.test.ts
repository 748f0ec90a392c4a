// Real S3 clients against a real gateway: the AWS SDK with its default settings (aws-chunked
// bodies with trailer checksums), the aws CLI and rclone. Each one with a master key (everything
// works), a read-only sub key (reads work, writes and deletes are refused with AccessDenied) and
// a key scoped to one bucket (the other bucket is invisible and refused). s3cmd and boto3:
// gateway-clients-python.test.ts.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand,
  HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { type ClientCreds, clientEnv } from "./cli-tools";
import { s3 } from "./gateway-harness";
import { bucketA, bucketB, code, denied, file, gw, master, MiB, ok, oneBucket, readOnly, setUpClients, sha, tools, work } from "./gateway-clients-setup";

setUpClients();

describe("@aws-sdk/client-s3 with default settings", () => {
  it("master key: aws-chunked PUT with trailer checksum, GET, HEAD, list, hand-made multipart, DeleteObjects", async () => {
    const client = s3(gw, master);
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add((next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    }, { step: "finalizeRequest", priority: "low" });
    // A stream body is what makes the SDK send aws-chunked with a CRC32 trailer (a Buffer gets
    // a signed SHA-256 payload and an x-amz-checksum-crc32 header instead, used by the parts below).
    const body = randomBytes(3 * MiB + 17);
    await client.send(new PutObjectCommand({
      Bucket: bucketA, Key: "sdk/blob.bin", ContentLength: body.length,
      Body: Readable.from([body.subarray(0, MiB), body.subarray(MiB, 2 * MiB), body.subarray(2 * MiB)]),
    }));
    expect(sent[0]).toMatchObject({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "content-encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32" });
    const got = await client.send(new GetObjectCommand({ Bucket: bucketA, Key: "sdk/blob.bin" }));
    expect(sha(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha(body));
    expect((await client.send(new HeadObjectCommand({ Bucket: bucketA, Key: "sdk/blob.bin" }))).ContentLength).toBe(body.length);

    // @aws-sdk/lib-storage is not a dependency: multipart by hand, parts ≥ 5 MiB but the last.
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB + 3)];
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucketA, Key: "sdk/multi.bin" }));
    const etags = [];
    for (const [i, part] of parts.entries()) {
      const r = await client.send(new UploadPartCommand({ Bucket: bucketA, Key: "sdk/multi.bin", UploadId, PartNumber: i + 1, Body: part }));
      etags.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucketA, Key: "sdk/multi.bin", UploadId, MultipartUpload: { Parts: etags } }));
    expect(done.ETag).toMatch(/-3"$/);
    const multi = await client.send(new GetObjectCommand({ Bucket: bucketA, Key: "sdk/multi.bin" }));
    expect(sha(Buffer.from(await multi.Body!.transformToByteArray()))).toBe(sha(Buffer.concat(parts)));

    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucketA, Prefix: "sdk/" }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([["sdk/blob.bin", body.length], ["sdk/multi.bin", 11 * MiB + 3]]);
    const deleted = await client.send(new DeleteObjectsCommand({ Bucket: bucketA, Delete: { Objects: [{ Key: "sdk/blob.bin" }, { Key: "sdk/multi.bin" }] } }));
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(["sdk/blob.bin", "sdk/multi.bin"]);
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucketA, Prefix: "sdk/" }))).KeyCount).toBe(0);
  });

  it("read-only key: reads and lists; PUT, DELETE, DeleteObjects and multipart are AccessDenied", async () => {
    const client = s3(gw, readOnly);
    expect(await (await client.send(new GetObjectCommand({ Bucket: bucketA, Key: "fixture/hello.txt" }))).Body!.transformToString()).toBe("hello from keygate\n");
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucketA }))).Contents?.map((o) => o.Key)).toContain("fixture/hello.txt");
    expect(await code(client.send(new PutObjectCommand({ Bucket: bucketA, Key: "ro.txt", Body: "x" })))).toBe("AccessDenied");
    expect(await code(client.send(new DeleteObjectCommand({ Bucket: bucketA, Key: "fixture/hello.txt" })))).toBe("AccessDenied");
    expect(await code(client.send(new DeleteObjectsCommand({ Bucket: bucketA, Delete: { Objects: [{ Key: "fixture/hello.txt" }] } })))).toBe("AccessDenied");
    expect(await code(client.send(new CreateMultipartUploadCommand({ Bucket: bucketA, Key: "ro.bin" })))).toBe("AccessDenied");
    expect(await code(s3(gw, master).send(new HeadObjectCommand({ Bucket: bucketA, Key: "fixture/hello.txt" })))).toBe("OK");
  });

  it("one-bucket key: ListBuckets shows only its bucket; the other bucket is refused", async () => {
    const client = s3(gw, oneBucket);
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([bucketA]);
    expect((await s3(gw, master).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([bucketA, bucketB]);
    expect(await code(client.send(new PutObjectCommand({ Bucket: bucketB, Key: "x", Body: "y" })))).toBe("AccessDenied");
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: bucketB })))).toBe("AccessDenied");
    await client.send(new PutObjectCommand({ Bucket: bucketA, Key: "one/x.txt", Body: "y" }));
    await client.send(new DeleteObjectCommand({ Bucket: bucketA, Key: "one/x.txt" }));
  });
});

/** Every CLI test checks its command's exit status and shows the output when it fails. */
describe.skipIf(!tools.aws)("aws CLI", () => {
  const aws = (...args: string[]) => [...tools.aws!, "--endpoint-url", gw.url, ...args];
  const envOf = (creds: ClientCreds) => clientEnv(gw.url, creds).env;

  it("master key: s3 cp/sync/ls/rm incl. a 9 MiB multipart upload, and s3api object calls", async () => {
    const env = envOf(master);
    const small = randomBytes(1000);
    const big = randomBytes(9 * MiB + 5); // above the CLI's 8 MiB multipart threshold
    const local = file("aws/up/small.bin", small);
    const bigFile = file("aws/big.bin", big);
    file("aws/up/sub/two.txt", Buffer.from("two"));
    await ok(aws("s3", "cp", local, `s3://${bucketA}/aws/small.bin`), env);
    await ok(aws("s3", "cp", bigFile, `s3://${bucketA}/aws/big.bin`), env);
    const head = await s3(gw, master).send(new HeadObjectCommand({ Bucket: bucketA, Key: "aws/big.bin" }));
    expect(head.ETag).toMatch(/-\d+"$/); // it really went multipart
    await ok(aws("s3", "cp", `s3://${bucketA}/aws/big.bin`, path.join(work, "aws/big.out")), env);
    expect(sha(readFileSync(path.join(work, "aws/big.out")))).toBe(sha(big));
    await ok(aws("s3", "sync", path.join(work, "aws/up"), `s3://${bucketA}/aws/sync/`), env);
    const ls = await ok(aws("s3", "ls", `s3://${bucketA}/aws/`, "--recursive"), env);
    for (const k of ["aws/small.bin", "aws/big.bin", "aws/sync/small.bin", "aws/sync/sub/two.txt"]) expect(ls).toContain(k);

    await ok(aws("s3api", "put-object", "--bucket", bucketA, "--key", "aws/api.bin", "--body", local), env);
    await ok(aws("s3api", "get-object", "--bucket", bucketA, "--key", "aws/api.bin", path.join(work, "aws/api.out")), env);
    expect(readFileSync(path.join(work, "aws/api.out")).equals(small)).toBe(true);
    const listed = JSON.parse(await ok(aws("s3api", "list-objects-v2", "--bucket", bucketA, "--prefix", "aws/sync/"), env));
    expect(listed.Contents.map((o: { Key: string }) => o.Key)).toEqual(["aws/sync/small.bin", "aws/sync/sub/two.txt"]);
    const del = JSON.parse(await ok(aws("s3api", "delete-objects", "--bucket", bucketA, "--delete", JSON.stringify({ Objects: [{ Key: "aws/api.bin" }, { Key: "aws/small.bin" }] })), env));
    expect(del.Deleted.map((d: { Key: string }) => d.Key).sort()).toEqual(["aws/api.bin", "aws/small.bin"]);
    const mpu = JSON.parse(await ok(aws("s3api", "create-multipart-upload", "--bucket", bucketA, "--key", "aws/mpu.bin"), env));
    expect(mpu.UploadId).toBeTruthy();
    await ok(aws("s3api", "abort-multipart-upload", "--bucket", bucketA, "--key", "aws/mpu.bin", "--upload-id", mpu.UploadId), env);
    await ok(aws("s3", "rm", `s3://${bucketA}/aws/`, "--recursive"), env);
    expect((await s3(gw, master).send(new ListObjectsV2Command({ Bucket: bucketA, Prefix: "aws/" }))).KeyCount).toBe(0);
  }, 180_000);

  it("read-only key: ls and cp down work; cp up, rm and put-object are AccessDenied", async () => {
    const env = envOf(readOnly);
    expect(await ok(aws("s3", "ls", `s3://${bucketA}/fixture/`), env)).toContain("hello.txt");
    await ok(aws("s3", "cp", `s3://${bucketA}/fixture/hello.txt`, path.join(work, "aws-ro.txt")), env);
    expect(readFileSync(path.join(work, "aws-ro.txt"), "utf8")).toBe("hello from keygate\n");
    const up = file("aws-ro-up.txt", Buffer.from("nope"));
    await denied(aws("s3", "cp", up, `s3://${bucketA}/ro/up.txt`), env);
    await denied(aws("s3api", "put-object", "--bucket", bucketA, "--key", "ro/x", "--body", up), env);
    await denied(aws("s3", "rm", `s3://${bucketA}/fixture/hello.txt`), env);
    await denied(aws("s3api", "delete-objects", "--bucket", bucketA, "--delete", '{"Objects":[{"Key":"fixture/hello.txt"}]}'), env);
    await denied(aws("s3api", "create-multipart-upload", "--bucket", bucketA, "--key", "ro/m"), env);
  }, 120_000);

  it("one-bucket key: s3 ls lists only its bucket; the other is AccessDenied", async () => {
    const env = envOf(oneBucket);
    const all = await ok(aws("s3", "ls"), env);
    expect(all).toContain(bucketA);
    expect(all).not.toContain(bucketB);
    await denied(aws("s3", "ls", `s3://${bucketB}/`), env);
  }, 60_000);
});

describe.skipIf(!tools.rclone)("rclone", () => {
  const rclone = (...args: string[]) => [...tools.rclone!, "--s3-no-check-bucket", "--retries", "1", "--low-level-retries", "1", ...args];

  it("master key: copy, ls, lsd, copy back, delete", async () => {
    const env = clientEnv(gw.url, master).env;
    const a = randomBytes(200_000);
    file("rclone/up/a.bin", a);
    file("rclone/up/d/b.txt", Buffer.from("bee"));
    await ok(rclone("copy", path.join(work, "rclone/up"), `kg:${bucketA}/rc`), env);
    const ls = await ok(rclone("ls", `kg:${bucketA}/rc`), env);
    expect(ls).toMatch(/200000 a\.bin/);
    expect(ls).toMatch(/3 d\/b\.txt/);
    const lsd = await ok(rclone("lsd", "kg:"), env);
    expect(lsd).toContain(bucketA);
    expect(lsd).toContain(bucketB);
    await ok(rclone("copy", `kg:${bucketA}/rc`, path.join(work, "rclone/down")), env);
    expect(sha(readFileSync(path.join(work, "rclone/down/a.bin")))).toBe(sha(a));
    await ok(rclone("delete", `kg:${bucketA}/rc`), env);
    expect((await s3(gw, master).send(new ListObjectsV2Command({ Bucket: bucketA, Prefix: "rc/" }))).KeyCount).toBe(0);
  }, 120_000);

  it("read-only key: ls works; copy up and delete are AccessDenied", async () => {
    const env = clientEnv(gw.url, readOnly).env;
    expect(await ok(rclone("ls", `kg:${bucketA}/fixture`), env)).toContain("hello.txt");
    file("rclone-ro/x.txt", Buffer.from("x"));
    await denied(rclone("copy", path.join(work, "rclone-ro"), `kg:${bucketA}/ro`), env);
    await denied(rclone("delete", `kg:${bucketA}/fixture`), env);
  }, 60_000);

  it("one-bucket key: lsd shows only its bucket; the other is AccessDenied", async () => {
    const env = clientEnv(gw.url, oneBucket).env;
    const lsd = await ok(rclone("lsd", "kg:"), env);
    expect(lsd).toContain(bucketA);
    expect(lsd).not.toContain(bucketB);
    await denied(rclone("ls", `kg:${bucketB}`), env);
  }, 60_000);
});
