// POST Object (browser form uploads) with Object Lock form fields, against the real gateway with
// forms signed by the AWS SDK's createPresignedPost: x-amz-object-lock-mode / -retain-until-date
// need write_retention and x-amz-object-lock-legal-hold needs write_legal_hold, as the PUT headers.
import { CreateBucketCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let seeded: Awaited<ReturnType<typeof seedProject>>;
let master: IssuedKey;
let client: S3Client;
const locked = `post-lock-${Date.now().toString(36)}`;
const plain = `post-plain-${Date.now().toString(36)}`;
const until = new Date(Math.floor(Date.now() / 1000) * 1000 + 2 * 86_400_000);

async function post(creds: IssuedKey, Bucket: string, Key: string, Fields: Record<string, string>) {
  const { url, fields } = await createPresignedPost(s3(gw, creds), { Bucket, Key, Fields });
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob(["locked bytes"]), "f.txt");
  const res = await fetch(url, { method: "POST", body: form });
  const text = await res.text();
  return `${res.status} ${/<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? ""}`.trim();
}
const head = (Key: string) => client.send(new HeadObjectCommand({ Bucket: locked, Key })).then(
  (h) => [h.ObjectLockMode, h.ObjectLockRetainUntilDate?.getTime(), h.ObjectLockLegalHoldStatus],
  (e: { name?: string }) => e.name,
);
let n = 0;
const sub = (permissions: string[]) =>
  createSubKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: `p${++n}`, regionId: "local", permissions });

beforeAll(async () => {
  gw = await startGateway();
  seeded = await seedProject(gw, []);
  master = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  client = s3(gw, master);
  await client.send(new CreateBucketCommand({ Bucket: locked, ObjectLockEnabledForBucket: true }));
  await client.send(new CreateBucketCommand({ Bucket: plain }));
});
afterAll(async () => { await gw?.stop(); });

const retention = { "x-amz-object-lock-mode": "COMPLIANCE", "x-amz-object-lock-retain-until-date": until.toISOString() };
const hold = { "x-amz-object-lock-legal-hold": "ON" };

describe("POST Object with Object Lock fields", () => {
  it("sets retention and legal hold on the new version", async () => {
    expect(await post(master, locked, "both", { ...retention, ...hold })).toBe("204");
    expect(await head("both")).toEqual(["COMPLIANCE", until.getTime(), "ON"]);
  });

  it("needs write_retention / write_legal_hold; refused forms store nothing", async () => {
    const writer = await sub(["read", "write", "read_retention", "read_legal_hold"]);
    expect(await post(writer, locked, "r1", retention)).toBe("403 AccessDenied");
    expect(await post(writer, locked, "h1", hold)).toBe("403 AccessDenied");
    expect([await head("r1"), await head("h1")]).toEqual(["NotFound", "NotFound"]);
    const retainer = await sub(["write", "write_retention"]);
    expect(await post(retainer, locked, "r2", retention)).toBe("204");
    expect(await post(retainer, locked, "h2", hold)).toBe("403 AccessDenied");
    const holder = await sub(["write", "write_legal_hold"]);
    expect(await post(holder, locked, "h3", hold)).toBe("204");
    expect([await head("r2"), await head("h3")]).toEqual([["COMPLIANCE", until.getTime(), undefined], [undefined, undefined, "ON"]]);
  });

  it("checks the values as S3 does, and a bucket without Object Lock refuses them", async () => {
    expect(await post(master, locked, "bad1", { "x-amz-object-lock-mode": "FOREVER", "x-amz-object-lock-retain-until-date": until.toISOString() })).toBe("400 InvalidArgument");
    expect(await post(master, locked, "bad2", { "x-amz-object-lock-mode": "COMPLIANCE" })).toBe("400 InvalidArgument");
    expect(await post(master, locked, "bad3", { ...retention, "x-amz-object-lock-retain-until-date": "2001-01-01T00:00:00Z" })).toBe("400 InvalidArgument");
    expect(await post(master, locked, "bad4", { "x-amz-object-lock-legal-hold": "yes" })).toBe("400 InvalidArgument");
    expect(await post(master, plain, "p", retention)).toBe("400 InvalidRequest");
  });
});
