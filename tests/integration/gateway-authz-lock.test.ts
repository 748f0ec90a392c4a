// The authorization matrix for Object Lock (gateway-authz-versions.test.ts has the versioning
// rows): each of the five lock permissions × the operations and headers it governs, allowed with
// it and AccessDenied without it, over real HTTP with the AWS SDK. Lock headers on GET/HEAD are
// shown only to keys that may read them ("hidden" counts as AccessDenied below).
import {
  DeleteObjectCommand, GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, HeadObjectCommand,
  PutObjectCommand, PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const OPS = [
  "GetObjectRetention", "HeadShowsRetention", "PutObjectRetention", "PutObjectWithRetention", "ShortenRetentionWithBypass",
  "GetObjectLegalHold", "HeadShowsLegalHold", "PutObjectLegalHold", "PutObjectWithLegalHold",
  "DeleteGovernedVersionWithBypass", "GetObjectLockConfiguration", "PutObjectLockConfiguration",
] as const;
type Op = (typeof OPS)[number];
/** The permissions each operation needs, written out by hand. "admin": master keys only. */
const NEEDS: Record<Op, string[] | "admin"> = {
  GetObjectRetention: ["read", "read_retention"],
  HeadShowsRetention: ["read", "read_retention"],
  PutObjectRetention: ["write", "write_retention"],
  PutObjectWithRetention: ["write", "write_retention"],
  ShortenRetentionWithBypass: ["write", "write_retention", "delete", "bypass_governance"],
  GetObjectLegalHold: ["read", "read_legal_hold"],
  HeadShowsLegalHold: ["read", "read_legal_hold"],
  PutObjectLegalHold: ["write", "write_legal_hold"],
  PutObjectWithLegalHold: ["write", "write_legal_hold"],
  DeleteGovernedVersionWithBypass: ["delete", "delete_versions", "bypass_governance"],
  GetObjectLockConfiguration: ["list"],
  PutObjectLockConfiguration: "admin",
};
const KEYS: string[][] = [
  ["read", "write", "list", "delete"],
  ["read", "read_retention"],
  ["read", "read_legal_hold"],
  ["write", "write_retention"],
  ["write", "write_legal_hold"],
  ["delete", "delete_versions"],
  ["delete", "delete_versions", "bypass_governance"],
  ["write", "write_retention", "delete", "bypass_governance"],
];

let gw: Gateway;
let master: S3Client;
let bucket: string;
let projectId: string;
let admin: Awaited<ReturnType<typeof seedProject>>["admin"];
let n = 0;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000);

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, []);
  projectId = seeded.project.id;
  admin = seeded.admin;
  bucket = `authz-lock-${seeded.buckets.length}${Date.now().toString(36)}`;
  await createBucket(testDb(), admin, { projectId, regionId: "local", name: bucket, objectLock: true }, () => gw.storage);
  master = s3(gw, await createMasterKey(testDb(), admin, { projectId, name: "m", regionId: "local" }));
});
afterAll(async () => { await gw?.stop(); });

/** A fresh version, made by the master key: GOVERNANCE for 2 days and a legal hold OFF. */
async function fresh(): Promise<{ Key: string; VersionId: string }> {
  const Key = `obj-${++n}`;
  const put = new PutObjectCommand({ Bucket: bucket, Key, Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(2), ObjectLockLegalHoldStatus: "OFF" });
  return { Key, VersionId: (await master.send(put)).VersionId! };
}

const hidden = () => Object.assign(new Error("hidden"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });

async function request(client: S3Client, op: Op): Promise<unknown> {
  const Bucket = bucket;
  switch (op) {
    case "GetObjectRetention": return client.send(new GetObjectRetentionCommand({ Bucket, ...(await fresh()) }));
    case "HeadShowsRetention": {
      const h = await client.send(new HeadObjectCommand({ Bucket, Key: (await fresh()).Key }));
      if (!h.ObjectLockMode || !h.ObjectLockRetainUntilDate) throw hidden();
      return h;
    }
    case "PutObjectRetention": return client.send(new PutObjectRetentionCommand({ Bucket, ...(await fresh()), Retention: { Mode: "GOVERNANCE", RetainUntilDate: inDays(3) } }));
    case "PutObjectWithRetention": return client.send(new PutObjectCommand({ Bucket, Key: `new-${++n}`, Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(1) }));
    case "ShortenRetentionWithBypass":
      return client.send(new PutObjectRetentionCommand({ Bucket, ...(await fresh()), Retention: { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) }, BypassGovernanceRetention: true }));
    case "GetObjectLegalHold": return client.send(new GetObjectLegalHoldCommand({ Bucket, ...(await fresh()) }));
    case "HeadShowsLegalHold": {
      const h = await client.send(new HeadObjectCommand({ Bucket, Key: (await fresh()).Key }));
      if (h.ObjectLockLegalHoldStatus !== "OFF") throw hidden();
      return h;
    }
    case "PutObjectLegalHold": return client.send(new PutObjectLegalHoldCommand({ Bucket, ...(await fresh()), LegalHold: { Status: "OFF" } }));
    case "PutObjectWithLegalHold": return client.send(new PutObjectCommand({ Bucket, Key: `new-${++n}`, Body: "x", ObjectLockLegalHoldStatus: "OFF" }));
    case "DeleteGovernedVersionWithBypass": return client.send(new DeleteObjectCommand({ Bucket, ...(await fresh()), BypassGovernanceRetention: true }));
    case "GetObjectLockConfiguration": return client.send(new GetObjectLockConfigurationCommand({ Bucket }));
    case "PutObjectLockConfiguration": return client.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
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

describe("authorization matrix: Object Lock permissions × their operations", () => {
  for (const permissions of KEYS) {
    for (const op of OPS) {
      const needs = NEEDS[op];
      const expected = needs !== "admin" && needs.every((p) => permissions.includes(p)) ? "allowed" : "AccessDenied";
      it(`[${permissions}] ${op} → ${expected}`, async () => {
        const key = await createSubKey(testDb(), admin, { projectId, name: `k${++n}`, regionId: "local", permissions });
        const client = s3(gw, key);
        expect(await outcome(request(client, op))).toBe(expected);
        client.destroy();
      });
    }
  }

  it("the master key may do all of it", async () => {
    for (const op of OPS) expect(await outcome(request(master, op)), op).toBe("allowed");
  });

  it("without bypass_governance the bypass header is ignored: the governed version stays", async () => {
    const key = await createSubKey(testDb(), admin, { projectId, name: "nobypass", regionId: "local", permissions: ["read", "delete", "delete_versions"] });
    const v = await fresh();
    expect(await outcome(s3(gw, key).send(new DeleteObjectCommand({ Bucket: bucket, ...v, BypassGovernanceRetention: true })))).toBe("AccessDenied");
    expect((await master.send(new HeadObjectCommand({ Bucket: bucket, ...v }))).VersionId).toBe(v.VersionId);
  });
});
