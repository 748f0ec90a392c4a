// Real S3 clients against a real gateway: the AWS SDK with its default settings (aws-chunked
// bodies with trailer checksums), the aws CLI, rclone, s3cmd and boto3. Each one with a master
// key (everything works), a read-only sub key (reads work, writes and deletes are refused with
// AccessDenied) and a key scoped to one bucket (the other bucket is invisible and refused).
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand,
  HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { type ClientCreds, clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

// Before any gateway exists: probing (and installing) tools blocks this process.
const tools = ensureTools(["aws", "rclone", "s3cmd", "boto3"]);

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => e?.name ?? String(e));

let gw: Gateway;
let bucketA: string;
let bucketB: string;
let master: IssuedKey;
let readOnly: IssuedKey;
let oneBucket: IssuedKey;
let work: string;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["cli-a", "cli-b"]);
  [bucketA, bucketB] = seeded.buckets;
  const { admin, project } = seeded;
  master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
  readOnly = await createSubKey(testDb(), admin, { projectId: project.id, name: "ro", regionId: "local", permissions: ["read", "list"], bucketScope: "all" });
  const aId = (await testDb().bucket.findFirstOrThrow({ where: { name: bucketA } })).id;
  oneBucket = await createSubKey(testDb(), admin, {
    projectId: project.id, name: "one", regionId: "local", permissions: ["read", "write", "list", "delete"], bucketScope: "selected", bucketIds: [aId],
  });
  // A fixture object every client may read, written by the master key.
  await s3(gw, master).send(new PutObjectCommand({ Bucket: bucketA, Key: "fixture/hello.txt", Body: "hello from keygate\n" }));
  work = clientEnv(gw.url, master).home;
});
afterAll(async () => {
  await gw?.stop();
  removeClientHomes();
});

function file(name: string, bytes: Buffer): string {
  const p = path.join(work, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

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
const shown = (cmd: string[]) => cmd.join(" ").replace(/(--secret_key=)\S+/, "$1***");
async function ok(cmd: string[], env: Record<string, string>) {
  const r = await run(cmd, { env });
  expect(r.code, `${shown(cmd)}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
async function denied(cmd: string[], env: Record<string, string>, what = "AccessDenied") {
  const r = await run(cmd, { env });
  expect(r.code, `${shown(cmd)} should fail\n${r.stdout}`).not.toBe(0);
  expect(r.stderr + r.stdout).toContain(what);
  return r;
}

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

describe.skipIf(!tools.s3cmd)("s3cmd", () => {
  const s3cmd = (creds: ClientCreds, ...args: string[]) => [...tools.s3cmd!, ...clientEnv(gw.url, creds).s3cmdArgs, ...args];
  const env = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" };

  it("master key: put, ls, get, del", async () => {
    const body = randomBytes(70_000);
    const local = file("s3cmd/f.bin", body);
    await ok(s3cmd(master, "put", local, `s3://${bucketA}/s3cmd/f.bin`), env);
    expect(await ok(s3cmd(master, "ls", `s3://${bucketA}/s3cmd/`), env)).toContain(`s3://${bucketA}/s3cmd/f.bin`);
    await ok(s3cmd(master, "get", "--force", `s3://${bucketA}/s3cmd/f.bin`, path.join(work, "s3cmd/f.out")), env);
    expect(sha(readFileSync(path.join(work, "s3cmd/f.out")))).toBe(sha(body));
    await ok(s3cmd(master, "del", `s3://${bucketA}/s3cmd/f.bin`), env);
    expect((await s3(gw, master).send(new ListObjectsV2Command({ Bucket: bucketA, Prefix: "s3cmd/" }))).KeyCount).toBe(0);
  }, 60_000);

  it("read-only key: get works; put and del are AccessDenied", async () => {
    await ok(s3cmd(readOnly, "get", "--force", `s3://${bucketA}/fixture/hello.txt`, path.join(work, "s3cmd-ro.txt")), env);
    expect(readFileSync(path.join(work, "s3cmd-ro.txt"), "utf8")).toBe("hello from keygate\n");
    const up = file("s3cmd-ro-up.txt", Buffer.from("nope"));
    await denied(s3cmd(readOnly, "put", up, `s3://${bucketA}/ro/up.txt`), env);
    await denied(s3cmd(readOnly, "del", `s3://${bucketA}/fixture/hello.txt`), env);
  }, 60_000);

  it("one-bucket key: ls shows only its bucket; the other is AccessDenied", async () => {
    const all = await ok(s3cmd(oneBucket, "ls"), env);
    expect(all).toContain(bucketA);
    expect(all).not.toContain(bucketB);
    await denied(s3cmd(oneBucket, "ls", `s3://${bucketB}/`), env);
  }, 60_000);
});

const BOTO3_SCRIPT = String.raw`
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
a = json.loads(sys.argv[1])
c = boto3.client("s3", endpoint_url=a["endpoint"], region_name="local", aws_access_key_id=a["id"], aws_secret_access_key=a["secret"],
                 config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
def attempt(name, fn):
    try:
        return {"op": name, "ok": True, "value": fn()}
    except ClientError as e:
        return {"op": name, "ok": False, "code": e.response["Error"]["Code"]}
b = a["bucket"]
out = [
    attempt("list_buckets", lambda: [x["Name"] for x in c.list_buckets()["Buckets"]]),
    attempt("get", lambda: c.get_object(Bucket=b, Key="fixture/hello.txt")["Body"].read().decode()),
    attempt("put", lambda: c.put_object(Bucket=b, Key="boto/x.txt", Body=b"boto bytes")["ETag"]),
    attempt("list", lambda: [o["Key"] for o in c.list_objects_v2(Bucket=b, Prefix="boto/").get("Contents", [])]),
    attempt("delete", lambda: c.delete_object(Bucket=b, Key="boto/x.txt")["ResponseMetadata"]["HTTPStatusCode"]),
    attempt("other_bucket", lambda: c.list_objects_v2(Bucket=a["other"])["KeyCount"]),
]
print(json.dumps(out))
`;

describe.skipIf(!tools.boto3)("boto3", () => {
  const boto = async (creds: ClientCreds) => {
    const arg = JSON.stringify({ endpoint: gw.url, id: creds.accessKeyId, secret: creds.secret, bucket: bucketA, other: bucketB });
    const r = await run([...tools.boto3!, "-c", BOTO3_SCRIPT, arg], { env: clientEnv(gw.url, creds).env });
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as { op: string; ok: boolean; value?: unknown; code?: string }[];
    return Object.fromEntries(results.map((x) => [x.op, x.ok ? x.value : `error:${x.code}`]));
  };

  it("master key, read-only key and one-bucket key", async () => {
    const m = await boto(master);
    expect(m).toMatchObject({ list_buckets: [bucketA, bucketB], get: "hello from keygate\n", list: ["boto/x.txt"], delete: 204, other_bucket: 0 });
    const ro = await boto(readOnly);
    expect(ro).toMatchObject({ get: "hello from keygate\n", put: "error:AccessDenied", list: [], delete: "error:AccessDenied", other_bucket: 0 });
    const one = await boto(oneBucket);
    expect(one).toMatchObject({ list_buckets: [bucketA], get: "hello from keygate\n", delete: 204, other_bucket: "error:AccessDenied" });
  }, 60_000);
});
