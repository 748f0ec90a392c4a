// The authorization matrix over real HTTP: every request below is signed by the AWS SDK and
// answered by a real gateway (SigV4 → key store → scope). Tables, not prose: each row names the
// key's limits, the operation, where it points, and the expected HTTP status and S3 error code.
// The granular permissions of versioned buckets: gateway-authz-versions.test.ts.
import {
  CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { notifyKeysChanged } from "../../lib/keys/notify";
import type { OrgContext } from "../../lib/auth/context";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const OPS = [
  "GetObject", "HeadObject", "PutObject", "CopyObject", "ListObjectsV2", "ListBuckets", "DeleteObject", "DeleteObjects", "CreateMultipartUpload",
] as const;
type Op = (typeof OPS)[number];
type Outcome = { status: number; code: string };
/** Where a request points: bucket "in" or "out", objects (and list prefix) under "pre/" or "other/". */
type Target = { bucket: "in" | "out"; dir: string; copyFrom?: { bucket: "in" | "out"; dir: string } };
type KeySpec = { permissions: string[]; buckets?: "in"; prefix?: string; cidrs?: string[] };

const OK_STATUS: Record<Op, number> = {
  GetObject: 200, HeadObject: 200, PutObject: 200, CopyObject: 200, ListObjectsV2: 200, ListBuckets: 200,
  DeleteObject: 204, DeleteObjects: 200, CreateMultipartUpload: 200,
};
const REQUIRED: Record<Op, string[]> = {
  GetObject: ["read"], HeadObject: ["read"], PutObject: ["write"], CopyObject: ["write", "read"], ListObjectsV2: ["list"],
  ListBuckets: ["list"], DeleteObject: ["delete"], DeleteObjects: ["delete"], CreateMultipartUpload: ["write"],
};
const allowed = (op: Op): Outcome => ({ status: OK_STATUS[op], code: "OK" });
const DENIED: Outcome = { status: 403, code: "AccessDenied" };
const ALL = ["read", "write", "list", "delete"];

let gw: Gateway;
let admin: OrgContext;
let projectId: string;
let names: Record<"in" | "out", string>;
let inBucketId: string;
let master: S3Client;
let n = 0;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["in", "out"]);
  admin = seeded.admin;
  projectId = seeded.project.id;
  names = { in: seeded.buckets[0], out: seeded.buckets[1] };
  inBucketId = (await testDb().bucket.findFirstOrThrow({ where: { name: names.in } })).id;
  master = s3(gw, await createMasterKey(testDb(), admin, { projectId, name: "m", regionId: "local" }));
  for (const [bucket, key] of [["in", "pre/obj.txt"], ["in", "other/obj.txt"], ["out", "pre/obj.txt"]] as const) {
    await master.send(new PutObjectCommand({ Bucket: names[bucket], Key: key, Body: `${bucket}:${key}` }));
  }
});
afterAll(async () => { await gw?.stop(); });

const keyCache = new Map<string, Promise<IssuedKey>>();
function keyFor(spec: KeySpec): Promise<IssuedKey> {
  const id = JSON.stringify(spec);
  if (!keyCache.has(id)) {
    keyCache.set(id, createSubKey(testDb(), admin, {
      projectId, name: `k${keyCache.size}`, regionId: "local", permissions: spec.permissions,
      bucketScope: spec.buckets ? "selected" : "all", bucketIds: spec.buckets ? [inBucketId] : [],
      prefix: spec.prefix, allowedCidrs: spec.cidrs ?? [],
    }));
  }
  return keyCache.get(id)!;
}

/** The SDK call for `op` at `t`; writes and deletes use fresh names so rows never interfere. */
function request(client: S3Client, op: Op, t: Target): Promise<{ $metadata: { httpStatusCode?: number } }> {
  const Bucket = names[t.bucket];
  const fresh = `${t.dir}${op}-${++n}`;
  switch (op) {
    case "GetObject": return client.send(new GetObjectCommand({ Bucket, Key: `${t.dir}obj.txt` })).then(async (r) => (await r.Body!.transformToString(), r));
    case "HeadObject": return client.send(new HeadObjectCommand({ Bucket, Key: `${t.dir}obj.txt` }));
    case "PutObject": return client.send(new PutObjectCommand({ Bucket, Key: fresh, Body: "x" }));
    case "CopyObject": {
      const from = t.copyFrom ?? t;
      return client.send(new CopyObjectCommand({ Bucket, Key: fresh, CopySource: `${names[from.bucket]}/${from.dir}obj.txt` }));
    }
    case "ListObjectsV2": return client.send(new ListObjectsV2Command({ Bucket, Prefix: t.dir }));
    case "ListBuckets": return client.send(new ListBucketsCommand({}));
    case "DeleteObject": return client.send(new DeleteObjectCommand({ Bucket, Key: fresh }));
    case "DeleteObjects":
      // A refused entry does not fail the request (S3 answers 200 and lists it under Errors).
      return client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: fresh }] } })).then((r) => {
        if (r.Errors?.length) throw Object.assign(new Error(), { name: `entry ${r.Errors[0].Code}`, $metadata: r.$metadata });
        return r;
      });
    case "CreateMultipartUpload": return client.send(new CreateMultipartUploadCommand({ Bucket, Key: fresh }));
  }
}

async function outcome(p: Promise<{ $metadata: { httpStatusCode?: number } }>): Promise<Outcome> {
  try {
    const r = await p;
    return { status: r.$metadata.httpStatusCode ?? 0, code: "OK" };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { status: err.$metadata?.httpStatusCode ?? 0, code: err.name ?? String(e) };
  }
}

/** HEAD answers carry no body, so there is no S3 code to compare: the status says it all. */
function check(op: Op, actual: Outcome, expected: Outcome) {
  if (op === "HeadObject") expect(actual.status).toBe(expected.status);
  else expect(actual).toEqual(expected);
}

type Row = { name: string; spec: KeySpec; op: Op; target: Target; expected: Outcome };
const IN_PRE: Target = { bucket: "in", dir: "pre/" };

const permissionRows: Row[] = [["read"], ["write"], ["list"], ["delete"], ["read", "write"], ALL].flatMap((permissions) =>
  OPS.map((op): Row => ({
    name: `[${permissions}] ${op}`, spec: { permissions }, op, target: IN_PRE,
    expected: REQUIRED[op].every((p) => permissions.includes(p)) ? allowed(op) : DENIED,
  })),
);

const bucketRows: Row[] = (["in", "out"] as const).flatMap((bucket) =>
  OPS.map((op): Row => ({
    name: `bucket ${bucket} with a key scoped to "in": ${op}`, spec: { permissions: ALL, buckets: "in" }, op,
    target: { bucket, dir: "pre/" }, expected: bucket === "in" || op === "ListBuckets" ? allowed(op) : DENIED,
  })),
).concat([
  { name: "copy from an out-of-scope bucket into scope", spec: { permissions: ALL, buckets: "in" }, op: "CopyObject", target: { bucket: "in", dir: "pre/", copyFrom: { bucket: "out", dir: "pre/" } }, expected: DENIED },
  { name: "copy from scope into an out-of-scope bucket", spec: { permissions: ALL, buckets: "in" }, op: "CopyObject", target: { bucket: "out", dir: "pre/", copyFrom: { bucket: "in", dir: "pre/" } }, expected: DENIED },
]);

const ENTRY_DENIED: Outcome = { status: 200, code: "entry AccessDenied" };
const prefixRows: Row[] = ["pre/", "other/", ""].flatMap((dir) =>
  OPS.map((op): Row => ({
    name: `prefix key "pre/", target "${dir}": ${op}`, spec: { permissions: ALL, prefix: "pre/" }, op, target: { bucket: "in", dir },
    expected: dir === "pre/" || op === "ListBuckets" ? allowed(op) : op === "DeleteObjects" ? ENTRY_DENIED : DENIED,
  })),
).filter((r) => r.target.dir !== "" || r.op === "ListObjectsV2" || r.op === "ListBuckets").concat([
  { name: "prefix key: copy from outside the prefix into it", spec: { permissions: ALL, prefix: "pre/" }, op: "CopyObject", target: { bucket: "in", dir: "pre/", copyFrom: { bucket: "in", dir: "other/" } }, expected: DENIED },
  { name: "prefix key: list prefix longer than the key's", spec: { permissions: ALL, prefix: "pre/" }, op: "ListObjectsV2", target: { bucket: "in", dir: "pre/deeper/" }, expected: allowed("ListObjectsV2") },
  { name: "prefix key: list prefix shorter than the key's", spec: { permissions: ALL, prefix: "pre/" }, op: "ListObjectsV2", target: { bucket: "in", dir: "pr" }, expected: DENIED },
]);

const ipRows: Row[] = [["10.0.0.0/8"], ["127.0.0.1/32"], ["10.0.0.0/8", "127.0.0.0/8"]].flatMap((cidrs) =>
  OPS.map((op): Row => ({
    name: `source 127.0.0.1, key limited to ${cidrs}: ${op}`, spec: { permissions: ALL, cidrs }, op, target: IN_PRE,
    expected: cidrs.some((c) => c.startsWith("127.")) ? allowed(op) : DENIED,
  })),
);

describe.each([
  ["permission × operation", permissionRows],
  ["bucket in and out of scope", bucketRows],
  ["object and list prefix", prefixRows],
  ["source IP", ipRows],
])("authorization matrix: %s", (_title, rows) => {
  for (const row of rows) {
    it(`${row.name} → ${row.expected.status} ${row.expected.code}`, async () => {
      const client = s3(gw, await keyFor(row.spec));
      check(row.op, await outcome(request(client, row.op, row.target)), row.expected);
    });
  }
});

describe("ListBuckets is filtered to the key's scope", () => {
  it("a one-bucket key sees only that bucket; a prefix key sees both; a key without list is refused", async () => {
    const names_ = async (spec: KeySpec) => (await s3(gw, await keyFor(spec)).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(await names_({ permissions: ALL, buckets: "in" })).toEqual([names.in]);
    expect(await names_({ permissions: ALL, prefix: "pre/" })).toEqual([names.in, names.out].sort());
    expect(await outcome(s3(gw, await keyFor({ permissions: ["read"] })).send(new ListBucketsCommand({})))).toEqual(DENIED);
  });
});

describe("DeleteObjects with a prefix-limited key", () => {
  it("deletes inside the prefix and reports AccessDenied per entry outside it, deleting nothing there", async () => {
    await master.send(new PutObjectCommand({ Bucket: names.in, Key: "pre/victim-in", Body: "1" }));
    await master.send(new PutObjectCommand({ Bucket: names.in, Key: "other/victim-out", Body: "2" }));
    const key = await keyFor({ permissions: ["delete", "list"], prefix: "pre/" });
    const res = await s3(gw, key).send(new DeleteObjectsCommand({
      Bucket: names.in, Delete: { Objects: [{ Key: "pre/victim-in" }, { Key: "other/victim-out" }] },
    }));
    expect(res.Deleted?.map((d) => d.Key)).toEqual(["pre/victim-in"]);
    expect(res.Errors?.map((e) => [e.Key, e.Code])).toEqual([["other/victim-out", "AccessDenied"]]);
    expect(await outcome(master.send(new HeadObjectCommand({ Bucket: names.in, Key: "other/victim-out" })))).toEqual({ status: 200, code: "OK" });
    expect(await outcome(master.send(new HeadObjectCommand({ Bucket: names.in, Key: "pre/victim-in" })))).toMatchObject({ status: 404 });
  });
});

/** Repeats `op` until its outcome changes from OK (the key store drops the key on NOTIFY), at most ~2 s. */
async function afterInvalidation(client: S3Client, op: Op = "GetObject"): Promise<Outcome> {
  let last: Outcome = { status: 0, code: "none" };
  for (let i = 0; i < 100; i++) {
    last = await outcome(request(client, op, IN_PRE));
    if (last.code !== "OK") return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  return last;
}

describe("key lifecycle at the gateway", () => {
  it("expired in the database (with a NOTIFY in the same transaction) → 403 AccessDenied", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "exp", regionId: "local", permissions: ALL, expiry: "custom", expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const client = s3(gw, key);
    expect(await outcome(request(client, "GetObject", IN_PRE))).toEqual(allowed("GetObject")); // cached now
    await testDb().$transaction(async (tx) => {
      await tx.accessKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await notifyKeysChanged(tx, [key.accessKeyId]);
    });
    expect(await afterInvalidation(client)).toEqual(DENIED);
    for (const op of OPS) check(op, await outcome(request(client, op, IN_PRE)), DENIED);
  });

  it("a cached key that reaches its expiry is refused with no notification at all", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "soon", regionId: "local", permissions: ALL, expiry: "custom", expiresAt: new Date(Date.now() + 2500).toISOString() });
    const client = s3(gw, key);
    expect(await outcome(request(client, "ListObjectsV2", IN_PRE))).toEqual(allowed("ListObjectsV2"));
    await new Promise((r) => setTimeout(r, 2600));
    expect(await outcome(request(client, "ListObjectsV2", IN_PRE))).toEqual(DENIED);
  });

  it("revoked → 403 InvalidAccessKeyId for every operation, recorded as a denied event", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "rev", regionId: "local", permissions: ALL });
    const client = s3(gw, key);
    expect(await outcome(request(client, "GetObject", IN_PRE))).toEqual(allowed("GetObject"));
    await revokeKey(testDb(), admin, key.id);
    const revoked = { status: 403, code: "InvalidAccessKeyId" };
    expect(await afterInvalidation(client)).toEqual(revoked);
    for (const op of OPS) check(op, await outcome(request(client, op, IN_PRE)), revoked);
    await gw.events.flush();
    const events = await testDb().event.findMany({ where: { keyId: key.id, type: "key.request", outcome: "denied" } });
    expect(events.length).toBeGreaterThanOrEqual(OPS.length);
    expect(new Set(events.map((e) => e.errorCode))).toEqual(new Set(["InvalidAccessKeyId"]));
  });

  it("old secret after rotation → 403 SignatureDoesNotMatch; the new secret works", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "rot", regionId: "local", permissions: ALL });
    const old = s3(gw, key);
    expect(await outcome(request(old, "GetObject", IN_PRE))).toEqual(allowed("GetObject"));
    const rotated = await rotateKey(testDb(), admin, key.id);
    expect(await afterInvalidation(old)).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
    for (const op of OPS) check(op, await outcome(request(s3(gw, rotated), op, IN_PRE)), allowed(op));
  });

  it("wrong (non-alias) region → 400 AuthorizationHeaderMalformed; unknown key → 403 InvalidAccessKeyId; wrong secret → 403 SignatureDoesNotMatch", async () => {
    const key = await keyFor({ permissions: ALL });
    for (const op of OPS) {
      check(op, await outcome(request(s3(gw, key, "eu-west-1"), op, IN_PRE)), { status: 400, code: "AuthorizationHeaderMalformed" });
      check(op, await outcome(request(s3(gw, { accessKeyId: "KGNOSUCHKEY0000000000", secret: key.secret }), op, IN_PRE)), { status: 403, code: "InvalidAccessKeyId" });
      check(op, await outcome(request(s3(gw, { accessKeyId: key.accessKeyId, secret: `${key.secret}x` }), op, IN_PRE)), { status: 403, code: "SignatureDoesNotMatch" });
    }
  });
});
