// Attempts to destroy or alter a locked version before its retention ends, through the real
// gateway with the AWS SDK: odd lock configurations, the null version, version-id tricks.
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, UploadPartCopyCommand, GetBucketVersioningCommand, GetObjectCommand, GetObjectLockConfigurationCommand, DeleteObjectsCommand, GetObjectRetentionCommand, PutBucketVersioningCommand,
  PutObjectCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const DAY = 86_400_000;
const failure = (p: Promise<unknown>) =>
  p.then(() => "OK", (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`);
const inDays = (d: number) => new Date(Math.floor((Date.now() + d * DAY) / 1000) * 1000);

let gw: Gateway;
let client: S3Client;
let seeded: Awaited<ReturnType<typeof seedProject>>;
const suffix = randomBytes(3).toString("hex");
let n = 0;
const newBucket = async (lock = true) => {
  const Bucket = `atk-${++n}-${suffix}`;
  await client.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: lock || undefined }));
  return Bucket;
};

beforeAll(async () => {
  gw = await startGateway();
  seeded = await seedProject(gw, []);
  client = s3(gw, await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" }));
}, 60_000);
afterAll(async () => { await gw?.stop(); });

/** A PUT with raw lock headers (the SDK would reformat the date), signed by the SDK's middleware. */
async function fetchPut(Bucket: string, Key: string, headers: Record<string, string>): Promise<string> {
  const cmd = new PutObjectCommand({ Bucket, Key, Body: "x", ContentMD5: "ndTkYSaMgDT1yFZOFVxnpg==" });
  cmd.middlewareStack.add((next) => async (args) => {
    Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
    return next(args);
  }, { step: "build" });
  return client.send(cmd).then(() => "200", (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.$metadata?.httpStatusCode} ${e.name}`);
}

describe("Object Lock attacks", () => {
  it("default retention periods beyond 100 years are refused; writes keep working", async () => {
    const Bucket = await newBucket();
    for (const rule of [{ Years: 999_999 }, { Years: 101 }, { Days: 36_501 }, { Days: 999_999 }]) {
      const cfg = new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", ...rule } } } });
      expect(await failure(client.send(cfg)), JSON.stringify(rule)).toBe("InvalidArgument 400");
    }
    const ok = new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Years: 100 } } } });
    expect(await failure(client.send(ok))).toBe("OK");
    const v = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
    const r = await client.send(new GetObjectRetentionCommand({ Bucket, Key: "k", VersionId: v.VersionId }));
    expect(r.Retention?.RetainUntilDate!.getUTCFullYear()).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 100);
  });

  it("the null version of a bucket that got Object Lock later can be locked and is then kept", async () => {
    const Bucket = await newBucket(false);
    await client.send(new PutObjectCommand({ Bucket, Key: "n", Body: "old" }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await client.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    await client.send(new PutObjectRetentionCommand({ Bucket, Key: "n", VersionId: "null", Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(2) } }));
    expect(await failure(client.send(new DeleteObjectCommand({ Bucket, Key: "n", VersionId: "null", BypassGovernanceRetention: true })))).toBe("AccessDenied 403");
    const batch = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "n", VersionId: "null" }] } }));
    expect(batch.Errors?.[0]?.Code).toBe("AccessDenied");
    expect(await failure(client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } })))).toBe("InvalidBucketState 409");
    const shorten = new PutObjectRetentionCommand({ Bucket, Key: "n", VersionId: "null", Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(1) } });
    expect(await failure(client.send(shorten))).toBe("AccessDenied 403");
  });

  it("enabling Object Lock while versioning is being suspended never leaves a lock bucket Suspended", async () => {
    for (let i = 0; i < 12; i++) {
      const Bucket = await newBucket(false);
      await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
      await Promise.allSettled([
        client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } })),
        client.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } })),
      ]);
      const locked = await client.send(new GetObjectLockConfigurationCommand({ Bucket })).then(() => true, () => false);
      const state = (await client.send(new GetBucketVersioningCommand({ Bucket }))).Status;
      if (locked) expect(state, Bucket).toBe("Enabled");
    }
  });

  it("a lock bucket whose state file says Suspended (a race across processes) still keeps its locked null version", async () => {
    const Bucket = await newBucket(false);
    await client.send(new PutObjectCommand({ Bucket, Key: "n", Body: "kept" }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await client.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    await client.send(new PutObjectRetentionCommand({ Bucket, Key: "n", VersionId: "null", Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(2) } }));
    await writeFile(join(gw.storage.rootDir, "buckets", Bucket, "versioning"), "Suspended");
    expect((await client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    const put = await client.send(new PutObjectCommand({ Bucket, Key: "n", Body: "overwrite" }));
    expect(put.VersionId).not.toBe("null");
    const del = await client.send(new DeleteObjectCommand({ Bucket, Key: "n" }));
    expect(del.VersionId).not.toBe("null");
    const old = await client.send(new GetObjectCommand({ Bucket, Key: "n", VersionId: "null" }));
    expect(await old.Body!.transformToString()).toBe("kept");
  });

  it("retain-until dates: impossible calendar fields are refused, not rolled over; other zones are the same instant", async () => {
    const Bucket = await newBucket();
    const year = new Date().getUTCFullYear() + 1;
    for (const bad of [`${year}-02-30T00:00:00Z`, `${year}-01-01T24:00:00Z`, `${year}-13-01T00:00:00Z`, `${year}-01-01T00:00:00+25:00`, `${year}-01-01T00:00:00`]) {
      const put = fetchPut(Bucket, "d", { "x-amz-object-lock-mode": "COMPLIANCE", "x-amz-object-lock-retain-until-date": bad });
      expect(await put, bad).toBe("400 InvalidArgument");
    }
    expect(await fetchPut(Bucket, "d", { "x-amz-object-lock-mode": "COMPLIANCE", "x-amz-object-lock-retain-until-date": `${year}-06-01T02:00:00+02:00` })).toBe("200");
    const r = await client.send(new GetObjectRetentionCommand({ Bucket, Key: "d" }));
    expect(r.Retention?.RetainUntilDate?.toISOString()).toBe(`${year}-06-01T00:00:00.000Z`);
  });

  it("a key without the lock permissions: no lock headers on GET, no bypass, no retention outside its prefix; events record it all, no secret", async () => {
    const Bucket = await newBucket();
    const gov = { ObjectLockMode: "GOVERNANCE" as const, ObjectLockRetainUntilDate: inDays(2), ObjectLockLegalHoldStatus: "OFF" as const };
    const v = await client.send(new PutObjectCommand({ Bucket, Key: "team/g", Body: "x", ...gov }));
    const o = await client.send(new PutObjectCommand({ Bucket, Key: "other/g", Body: "x", ...gov }));
    const key = await createSubKey(testDb(), seeded.admin, {
      projectId: seeded.project.id, name: "nolock", regionId: "local", prefix: "team/",
      permissions: ["read", "write", "list", "delete", "delete_versions", "write_retention"],
    });
    const weak = s3(gw, key);
    const got = await weak.send(new GetObjectCommand({ Bucket, Key: "team/g" }));
    await got.Body!.transformToString();
    expect([got.ObjectLockMode, got.ObjectLockRetainUntilDate, got.ObjectLockLegalHoldStatus]).toEqual([undefined, undefined, undefined]);
    expect(await failure(weak.send(new DeleteObjectCommand({ Bucket, Key: "team/g", VersionId: v.VersionId, BypassGovernanceRetention: true })))).toBe("AccessDenied 403");
    const batch = await weak.send(new DeleteObjectsCommand({ Bucket, BypassGovernanceRetention: true, Delete: { Objects: [{ Key: "team/g", VersionId: v.VersionId }] } }));
    expect(batch.Errors?.map((e) => e.Code)).toEqual(["AccessDenied"]);
    const shorten = new PutObjectRetentionCommand({ Bucket, Key: "team/g", VersionId: v.VersionId, BypassGovernanceRetention: true, Retention: { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) } });
    expect(await failure(weak.send(shorten))).toBe("AccessDenied 403");
    const outside = new PutObjectRetentionCommand({ Bucket, Key: "other/g", VersionId: o.VersionId, Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(30) } });
    expect(await failure(weak.send(outside))).toBe("AccessDenied 403");
    expect((await client.send(new GetObjectRetentionCommand({ Bucket, Key: "other/g", VersionId: o.VersionId }))).Retention?.Mode).toBe("GOVERNANCE");

    await gw.events.flush();
    const events = await testDb().event.findMany({ where: { keyId: key.id, type: "key.request" }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ["GetObject", 200], ["DeleteObject", 403], ["DeleteObjects", 200], ["PutObjectRetention", 403], ["PutObjectRetention", 403],
    ]);
    expect(JSON.stringify(events, (_k, val) => (typeof val === "bigint" ? String(val) : val))).not.toContain(key.secret);
  });

  it("copy, multipart (with part copy) and bucket deletion onto a locked version leave it whole", async () => {
    const Bucket = await newBucket();
    const v = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "original", ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: inDays(2) }));
    await client.send(new PutObjectCommand({ Bucket, Key: "src", Body: "other" }));
    await client.send(new CopyObjectCommand({ Bucket, Key: "k", CopySource: `${Bucket}/src` }));
    await client.send(new CopyObjectCommand({ Bucket, Key: "k", CopySource: `${Bucket}/k?versionId=${v.VersionId}`, MetadataDirective: "REPLACE" }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: "k" }));
    const part = await client.send(new UploadPartCopyCommand({ Bucket, Key: "k", UploadId, PartNumber: 1, CopySource: `${Bucket}/src` }));
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: "k", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag }] } }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: "k" })); // a delete marker only
    expect(await failure(client.send(new DeleteBucketCommand({ Bucket })))).toBe("BucketNotEmpty 409");
    const old = await client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v.VersionId }));
    expect([await old.Body!.transformToString(), old.ObjectLockMode]).toEqual(["original", "COMPLIANCE"]);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: "k" }));
    expect([versions.Versions?.length, versions.DeleteMarkers?.length]).toEqual([4, 1]);
  });

  it("version-id tricks: malformed, upper-case and path-like ids are refused, locked version stays", async () => {
    const Bucket = await newBucket();
    const v = await client.send(new PutObjectCommand({ Bucket, Key: "t", Body: "x", ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: inDays(2) }));
    for (const id of [v.VersionId!.toUpperCase(), `${v.VersionId}.o`, `../${v.VersionId}`, `${v.VersionId}\u0000`, " null", "NULL"]) {
      expect(await failure(client.send(new DeleteObjectCommand({ Bucket, Key: "t", VersionId: id }))), id).toMatch(/^(InvalidArgument 400|AccessDenied 403)$/);
    }
    const r = await client.send(new GetObjectRetentionCommand({ Bucket, Key: "t", VersionId: v.VersionId }));
    expect(r.Retention?.Mode).toBe("COMPLIANCE");
  });
});
