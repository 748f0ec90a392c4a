// The S3 differences of gateway-s3-differences.test.ts as boto3 sees them (botocore parses errors,
// ETags and listings its own way; cleanup scripts written with it are the motivating case).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey } from "../../lib/keys/create-keys";
import { clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const tools = ensureTools(["boto3"]);

const SCRIPT = String.raw`
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
a = json.loads(sys.argv[1])
c = boto3.client("s3", endpoint_url=a["endpoint"], region_name="us-east-1", aws_access_key_id=a["id"], aws_secret_access_key=a["secret"],
                 config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
def attempt(fn):
    try:
        return fn()
    except ClientError as e:
        return "error:%s:%s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])
b, gone, foreign, tmp = a["bucket"], a["missing"], a["foreign"], a["tmp"]
out = {}
out["head_missing"] = attempt(lambda: c.head_bucket(Bucket=gone))
out["get_missing"] = attempt(lambda: c.get_object(Bucket=gone, Key="k"))
out["list_missing"] = attempt(lambda: c.list_objects(Bucket=gone))
out["list2_missing"] = attempt(lambda: c.list_objects_v2(Bucket=gone))
out["put_missing"] = attempt(lambda: c.put_object(Bucket=gone, Key="k", Body=b"x"))
out["delete_missing"] = attempt(lambda: c.delete_bucket(Bucket=gone))
c.put_object(Bucket=b, Key="src", Body=b"src")
out["copy_missing"] = attempt(lambda: c.copy_object(Bucket=b, Key="copy", CopySource={"Bucket": gone, "Key": "src"}))
out["list_foreign"] = attempt(lambda: c.list_objects_v2(Bucket=foreign))
c.create_bucket(Bucket=tmp)
c.put_object(Bucket=tmp, Key="obj", Body=b"x")
c.create_multipart_upload(Bucket=tmp, Key="pending")
# A cleanup script: delete every object, then the bucket (the pending upload goes with it).
for o in c.list_objects_v2(Bucket=tmp).get("Contents", []):
    c.delete_object(Bucket=tmp, Key=o["Key"])
out["delete_bucket"] = attempt(lambda: c.delete_bucket(Bucket=tmp)["ResponseMetadata"]["HTTPStatusCode"])
out["after_delete"] = attempt(lambda: c.list_objects_v2(Bucket=tmp))
u = c.create_multipart_upload(Bucket=b, Key="twice")["UploadId"]
p = c.upload_part(Bucket=b, Key="twice", UploadId=u, PartNumber=1, Body=b"part one")
req = dict(Bucket=b, Key="twice", UploadId=u, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
out["complete"] = [c.complete_multipart_upload(**req)["ETag"], attempt(lambda: c.complete_multipart_upload(**req)["ETag"])]
# botocore sends aws-chunked bodies only over https; the coding as the issue names it, sent as is.
c.put_object(Bucket=b, Key="gz", Body=b"gz", ContentEncoding="aws-chunked,gzip")
out["encoding"] = c.head_object(Bucket=b, Key="gz").get("ContentEncoding")
c.put_object(Bucket=b, Key="plain", Body=b"plain", ContentEncoding="aws-chunked")
out["no_encoding"] = c.get_object(Bucket=b, Key="plain").get("ContentEncoding")
listed = c.list_objects_v2(Bucket=b, FetchOwner=True, ContinuationToken="")
out["owner"] = [bool(o.get("Owner", {}).get("ID")) for o in listed["Contents"]]
print(json.dumps(out))
`;

let gw: Gateway;
let arg: string;
let env: Record<string, string>;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["boto-diff"]);
  const key = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  const foreign = (await seedProject(gw, ["boto-foreign"])).buckets[0];
  const suffix = randomBytes(3).toString("hex");
  arg = JSON.stringify({ endpoint: gw.url, id: key.accessKeyId, secret: key.secret, bucket: seeded.buckets[0], foreign, missing: `gone-${suffix}`, tmp: `tmp-${suffix}` });
  env = clientEnv(gw.url, key).env;
});
afterAll(async () => {
  await gw?.stop();
  removeClientHomes();
});

describe.skipIf(!tools.boto3)("boto3", () => {
  it("NoSuchBucket vs AccessDenied, cleanup with a pending upload, repeat completion, aws-chunked, ListObjectsV2", async () => {
    const r = await run([...tools.boto3!, "-c", SCRIPT, arg], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      head_missing: "error:404:404",
      get_missing: "error:404:NoSuchBucket",
      list_missing: "error:404:NoSuchBucket",
      list2_missing: "error:404:NoSuchBucket",
      put_missing: "error:404:NoSuchBucket",
      delete_missing: "error:404:NoSuchBucket",
      copy_missing: "error:404:NoSuchBucket",
      list_foreign: "error:403:AccessDenied",
      delete_bucket: 204,
      after_delete: "error:404:NoSuchBucket",
      encoding: "gzip",
      no_encoding: null,
    });
    expect(out.complete[1]).toBe(out.complete[0]);
    expect(out.complete[0]).toMatch(/-1"$/);
    expect(out.owner.length).toBeGreaterThan(0);
    expect(out.owner.every(Boolean)).toBe(true);
  }, 60_000);
});
