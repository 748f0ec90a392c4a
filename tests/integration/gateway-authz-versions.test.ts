// The authorization matrix, continued for versioned buckets (gateway-authz-matrix.test.ts has
// the basic permissions): each granular permission × the operations it governs, allowed with it
// and AccessDenied without it, over real HTTP with the AWS SDK. Versioning state changes are
// bucket-admin operations: master keys may, sub keys never.
import {
  CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const OPS = [
  "GetObjectVersion", "GetObjectNullVersion", "HeadObjectVersion", "ListObjectVersions", "CopyObjectVersion",
  "DeleteObjectVersion", "DeleteObjectsVersion", "GetBucketVersioning", "PutBucketVersioning",
] as const;
type Op = (typeof OPS)[number];
/** The permissions each operation needs, written out by hand. "admin": master keys only. */
const NEEDS: Record<Op, string[] | "admin"> = {
  GetObjectVersion: ["read", "read_versions"],
  GetObjectNullVersion: ["read", "read_versions"],
  HeadObjectVersion: ["read", "read_versions"],
  ListObjectVersions: ["read", "read_versions"],
  CopyObjectVersion: ["write", "read", "read_versions"],
  DeleteObjectVersion: ["delete", "delete_versions"],
  DeleteObjectsVersion: ["delete", "delete_versions"],
  GetBucketVersioning: ["list"],
  PutBucketVersioning: "admin",
};
const KEYS: string[][] = [
  ["read", "write", "list", "delete"],
  ["read", "write", "list", "delete", "read_versions"],
  ["read", "write", "list", "delete", "delete_versions"],
  ["read", "write", "list", "delete", "read_versions", "delete_versions"],
  ["read", "read_versions"],
  ["delete", "delete_versions"],
];

let gw: Gateway;
let master: S3Client;
let bucket: string;
let projectId: string;
let admin: Awaited<ReturnType<typeof seedProject>>["admin"];
let oldVersion: string;
let n = 0;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["versioned"]);
  [bucket] = seeded.buckets;
  projectId = seeded.project.id;
  admin = seeded.admin;
  master = s3(gw, await createMasterKey(testDb(), admin, { projectId, name: "m", regionId: "local" }));
  await master.send(new PutObjectCommand({ Bucket: bucket, Key: "pre/null.txt", Body: "from before versioning" }));
  await master.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  oldVersion = (await master.send(new PutObjectCommand({ Bucket: bucket, Key: "pre/obj.txt", Body: "old" }))).VersionId!;
  await master.send(new PutObjectCommand({ Bucket: bucket, Key: "pre/obj.txt", Body: "new" }));
});
afterAll(async () => { await gw?.stop(); });

/** A version of a fresh key, made by the master key, for the delete rows. */
async function freshVersion(): Promise<{ Key: string; VersionId: string }> {
  const Key = `pre/del-${++n}`;
  return { Key, VersionId: (await master.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))).VersionId! };
}

async function request(client: S3Client, op: Op): Promise<unknown> {
  const Bucket = bucket;
  switch (op) {
    case "GetObjectVersion": return client.send(new GetObjectCommand({ Bucket, Key: "pre/obj.txt", VersionId: oldVersion })).then((r) => r.Body!.transformToString());
    case "GetObjectNullVersion": return client.send(new GetObjectCommand({ Bucket, Key: "pre/null.txt", VersionId: "null" })).then((r) => r.Body!.transformToString());
    case "HeadObjectVersion": return client.send(new HeadObjectCommand({ Bucket, Key: "pre/obj.txt", VersionId: oldVersion }));
    case "ListObjectVersions": return client.send(new ListObjectVersionsCommand({ Bucket, Prefix: "pre/" }));
    case "CopyObjectVersion": return client.send(new CopyObjectCommand({ Bucket, Key: `pre/copy-${++n}`, CopySource: `${Bucket}/pre/obj.txt?versionId=${oldVersion}` }));
    case "DeleteObjectVersion": return client.send(new DeleteObjectCommand({ Bucket, ...(await freshVersion()) }));
    case "DeleteObjectsVersion": {
      const r = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [await freshVersion()] } }));
      if (r.Errors?.length) throw Object.assign(new Error(), { name: r.Errors[0].Code, $metadata: { httpStatusCode: 403 } });
      return r;
    }
    case "GetBucketVersioning": return client.send(new GetBucketVersioningCommand({ Bucket }));
    case "PutBucketVersioning": return client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  }
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "allowed";
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return err.$metadata?.httpStatusCode === 403 ? "AccessDenied" : `${err.name} ${err.$metadata?.httpStatusCode}`;
  }
}

describe("authorization matrix: granular permissions × versioned operations", () => {
  for (const permissions of KEYS) {
    for (const op of OPS) {
      const needs = NEEDS[op];
      const expected = needs !== "admin" && needs.every((p) => permissions.includes(p)) ? "allowed" : "AccessDenied";
      it(`[${permissions}] ${op} → ${expected}`, async () => {
        const key = await createSubKey(testDb(), admin, { projectId, name: `k${++n}`, regionId: "local", permissions });
        expect(await outcome(request(s3(gw, key), op))).toBe(expected);
      });
    }
  }

  it("the master key may do all of it, versioning changes included", async () => {
    for (const op of OPS) expect(await outcome(request(master, op)), op).toBe("allowed");
  });

  it("a refused version delete leaves the version in place", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "nodel", regionId: "local", permissions: ["read", "delete"] });
    const v = await freshVersion();
    expect(await outcome(s3(gw, key).send(new DeleteObjectCommand({ Bucket: bucket, ...v })))).toBe("AccessDenied");
    const head = await master.send(new HeadObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
    expect(head.VersionId).toBe(v.VersionId);
  });
});
