// Clients on their defaults: no region configured anywhere, so each signs for us-east-1, which
// the default region accepts as an alias. A region that is neither the key's nor an alias is
// still refused with AuthorizationHeaderMalformed naming the key's region.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const tools = ensureTools(["aws", "rclone", "s3cmd", "boto3"]);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let gw: Gateway;
let bucket: string;
let master: IssuedKey;
let env: Record<string, string>;
let s3cmdArgs: string[];
let work: string;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["noregion"]);
  [bucket] = seeded.buckets;
  master = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  const c = clientEnv(gw.url, master, null);
  ({ env, s3cmdArgs } = c);
  work = c.home;
  // Nothing from the machine may configure a region behind the test's back.
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"]) expect(process.env[name]).toBeUndefined();
});
afterAll(async () => {
  await gw?.stop();
  removeClientHomes();
});

async function ok(cmd: string[], extra: Record<string, string> = {}) {
  const r = await run(cmd, { env: { ...env, ...extra } });
  expect(r.code, `${cmd.join(" ")}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/**
 * The operations of the master key refused for their region since the previous call: a client that
 * retries with the <Region> of the error (s3cmd, botocore) must not pass unnoticed.
 */
let seen = 0n;
async function refusedForRegion(): Promise<string[]> {
  await gw.events.flush();
  const rows = await testDb().event.findMany({
    where: { keyId: master.id, errorCode: "AuthorizationHeaderMalformed", id: { gt: seen } }, select: { id: true, operation: true }, orderBy: { id: "asc" },
  });
  seen = rows.at(-1)?.id ?? seen;
  return rows.map((r) => r.operation ?? "");
}

function file(name: string, bytes: Buffer): string {
  const p = path.join(work, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

describe("no region configured", () => {
  it.skipIf(!tools.aws)("aws s3 ls and aws s3 cp, as the API page and creation dialog show them", async () => {
    const { AWS_ENDPOINT_URL: _, ...noEndpoint } = env;
    // The API page's example: credentials in the environment, endpoint on the command line.
    const r = await run([...tools.aws!, "s3", "ls", "--endpoint-url", gw.url], { env: noEndpoint });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(bucket);
    const body = randomBytes(70_000);
    await ok([...tools.aws!, "s3", "cp", file("aws/up.bin", body), `s3://${bucket}/aws/up.bin`]);
    await ok([...tools.aws!, "s3", "cp", `s3://${bucket}/aws/up.bin`, path.join(work, "aws/down.bin")]);
    expect(sha(readFileSync(path.join(work, "aws/down.bin")))).toBe(sha(body));
    expect(await refusedForRegion()).toEqual([]);
  }, 60_000);

  it.skipIf(!tools.rclone)("rclone lsd, copy up and down", async () => {
    const rclone = (...args: string[]) => [...tools.rclone!, "--s3-no-check-bucket", ...args];
    expect(await ok(rclone("lsd", "kg:"))).toContain(bucket);
    file("rclone/a.txt", Buffer.from("rclone bytes"));
    await ok(rclone("copy", path.join(work, "rclone"), `kg:${bucket}/rc`));
    await ok(rclone("copy", `kg:${bucket}/rc`, path.join(work, "rclone-down")));
    expect(readFileSync(path.join(work, "rclone-down/a.txt"), "utf8")).toBe("rclone bytes");
    expect(await refusedForRegion()).toEqual([]);
  }, 60_000);

  it.skipIf(!tools.s3cmd)("s3cmd ls, put and get (ls with one retry, as against AWS)", async () => {
    const s3cmd = (...args: string[]) => [...tools.s3cmd!, ...s3cmdArgs, ...args];
    expect(s3cmdArgs.some((a) => a.startsWith("--region"))).toBe(false);
    expect(await ok(s3cmd("ls"))).toContain(bucket);
    await ok(s3cmd("put", file("s3cmd/f.txt", Buffer.from("s3cmd bytes")), `s3://${bucket}/s3cmd/f.txt`));
    await ok(s3cmd("get", "--force", `s3://${bucket}/s3cmd/f.txt`, path.join(work, "s3cmd.out")));
    expect(readFileSync(path.join(work, "s3cmd.out"), "utf8")).toBe("s3cmd bytes");
    // Unconfigured, s3cmd signs ListBuckets for "US" (its default bucket_location, not a region
    // name) and retries with the <Region> of the refusal, as it does against AWS; its bucket
    // requests sign for us-east-1 and pass at once.
    expect(await refusedForRegion()).toEqual(["ListBuckets"]);
  }, 60_000);

  it.skipIf(!tools.boto3)("boto3 without region_name", async () => {
    const script = String.raw`
import json, sys, boto3
a = json.loads(sys.argv[1])
c = boto3.client("s3", endpoint_url=a["endpoint"], aws_access_key_id=a["id"], aws_secret_access_key=a["secret"])
c.put_object(Bucket=a["bucket"], Key="boto/x.txt", Body=b"boto bytes")
# Presigned URLs as docs/clients.md says: botocore signs them with Version 2 for us-east-1
# (refused) unless asked for s3v4.
import urllib.request, urllib.error
from botocore.config import Config
def fetch(url):
    try:
        return urllib.request.urlopen(url).read().decode()
    except urllib.error.HTTPError as e:
        return e.code
v4 = boto3.client("s3", endpoint_url=a["endpoint"], aws_access_key_id=a["id"], aws_secret_access_key=a["secret"], config=Config(signature_version="s3v4"))
params = {"Bucket": a["bucket"], "Key": "boto/x.txt"}
print(json.dumps({"region": c.meta.region_name, "body": c.get_object(Bucket=a["bucket"], Key="boto/x.txt")["Body"].read().decode(),
                  "buckets": [b["Name"] for b in c.list_buckets()["Buckets"]],
                  "presigned_default": fetch(c.generate_presigned_url("get_object", Params=params, ExpiresIn=300)),
                  "presigned_s3v4": fetch(v4.generate_presigned_url("get_object", Params=params, ExpiresIn=300))}))
`;
    const arg = JSON.stringify({ endpoint: gw.url, id: master.accessKeyId, secret: master.secret, bucket });
    const out = JSON.parse(await ok([...tools.boto3!, "-c", script, arg]));
    expect(out).toEqual({ region: "us-east-1", body: "boto bytes", buckets: [bucket], presigned_default: 400, presigned_s3v4: "boto bytes" });
    expect(await refusedForRegion()).toEqual([]);
  }, 60_000);
});

describe("aliases and wrong regions with the AWS SDK", () => {
  it("accepts us-east-1 and auto, refuses another region naming the key's", async () => {
    for (const region of ["us-east-1", "auto"]) {
      const buckets = await s3(gw, master, region).send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((b) => b.Name)).toEqual([bucket]);
    }
    const wrong = new S3Client({
      endpoint: gw.url, region: "eu-west-1", forcePathStyle: true, maxAttempts: 1,
      credentials: { accessKeyId: master.accessKeyId, secretAccessKey: master.secret },
    });
    const err = await wrong.send(new GetObjectCommand({ Bucket: bucket, Key: "x" })).catch((e) => e);
    expect(err.name).toBe("AuthorizationHeaderMalformed");
    expect(err.message).toContain("expecting 'local'");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.Region).toBe("local"); // the <Region> element s3cmd and SDKs retry with
  });
});
