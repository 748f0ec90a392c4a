// s3cmd and boto3 against a real gateway, with a master key, a read-only key and a one-bucket key.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { type ClientCreds, clientEnv, run } from "./cli-tools";
import { s3 } from "./gateway-harness";
import { bucketA, bucketB, denied, file, gw, master, ok, oneBucket, readOnly, setUpClients, sha, tools, work } from "./gateway-clients-setup";

setUpClients();

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
