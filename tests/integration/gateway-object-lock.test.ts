// Object Lock through the real gateway with the AWS SDK, on the fs backend and through an `s3`
// region (a front gateway forwarding to an upstream gateway): lock configuration, retention,
// legal hold, lock headers on writes and reads, and every refusal S3 makes.
import { randomBytes } from "node:crypto";
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand, GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand, PutObjectRetentionCommand, type S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey } from "../../lib/keys/create-keys";
import { startFrontGateway } from "./gateway-front";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const DAY = 86_400_000;
const failure = (p: Promise<unknown>) =>
  p.then(() => "OK", (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`);
const inDays = (d: number) => new Date(Math.floor((Date.now() + d * DAY) / 1000) * 1000);

type Env = { client: S3Client; noChecksum: S3Client; locked: string; plain: string };

let upstream: Gateway;
let front: Awaited<ReturnType<typeof startFrontGateway>>;
const envs: Record<"fs" | "s3", Env> = {} as Record<"fs" | "s3", Env>;

beforeAll(async () => {
  upstream = await startGateway();
  const seeded = await seedProject(upstream, []);
  const key = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  const suffix = randomBytes(3).toString("hex");
  envs.fs = { client: s3(upstream, key), noChecksum: noChecksumClient(upstream.url, "local", key), locked: `lock-${suffix}`, plain: `plain-${suffix}` };
  front = await startFrontGateway(upstream);
  const fp = await seedProject(upstream, []);
  const frontKey = await createMasterKey(testDb(), fp.admin, { projectId: fp.project.id, name: "f", regionId: "front" });
  envs.s3 = { client: front.client(frontKey), noChecksum: front.client(frontKey, { requestChecksumCalculation: "WHEN_REQUIRED" }), locked: `flock-${suffix}`, plain: `fplain-${suffix}` };
  for (const env of Object.values(envs)) {
    await env.client.send(new CreateBucketCommand({ Bucket: env.locked, ObjectLockEnabledForBucket: true }));
    await env.client.send(new CreateBucketCommand({ Bucket: env.plain }));
  }
}, 60_000);
afterAll(async () => {
  await front?.stop();
  await upstream?.stop();
});

function noChecksumClient(url: string, region: string, key: { accessKeyId: string; secret: string }) {
  const c = s3({ url } as Gateway, key, region);
  c.config.requestChecksumCalculation = async () => "WHEN_REQUIRED";
  return c;
}

describe.each(["fs", "s3"] as const)("Object Lock through the gateway (%s backend)", (backend) => {
  const env = () => envs[backend];
  const put = (Key: string, extra: Record<string, unknown> = {}, Bucket = env().locked) =>
    env().client.send(new PutObjectCommand({ Bucket, Key, Body: "data", ...extra }));
  const head = (Key: string, VersionId?: string) => env().client.send(new HeadObjectCommand({ Bucket: env().locked, Key, VersionId }));
  const del = (Key: string, VersionId: string, bypass = false) =>
    env().client.send(new DeleteObjectCommand({ Bucket: env().locked, Key, VersionId, BypassGovernanceRetention: bypass || undefined }));
  const retention = (Key: string, VersionId: string, Retention: { Mode?: "GOVERNANCE" | "COMPLIANCE"; RetainUntilDate?: Date }, bypass = false) =>
    env().client.send(new PutObjectRetentionCommand({ Bucket: env().locked, Key, VersionId, Retention, BypassGovernanceRetention: bypass || undefined }));

  it("CreateBucket with Object Lock: configuration Enabled, versioning Enabled; other buckets have none", async () => {
    const cfg = await env().client.send(new GetObjectLockConfigurationCommand({ Bucket: env().locked }));
    expect(cfg.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
    expect((await env().client.send(new GetBucketVersioningCommand({ Bucket: env().locked }))).Status).toBe("Enabled");
    expect(await failure(env().client.send(new GetObjectLockConfigurationCommand({ Bucket: env().plain })))).toBe("ObjectLockConfigurationNotFoundError 404");
    const suspend = env().client.send(new PutBucketVersioningCommand({ Bucket: env().locked, VersioningConfiguration: { Status: "Suspended" } }));
    expect(await failure(suspend)).toBe("InvalidBucketState 409");
  });

  it("COMPLIANCE retention and legal hold from PUT headers; GET/HEAD show them; deleting the version is refused", async () => {
    const until = inDays(2);
    const v = await put("c.txt", { ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: "ON" });
    const h = await head("c.txt", v.VersionId);
    expect([h.ObjectLockMode, h.ObjectLockRetainUntilDate?.getTime(), h.ObjectLockLegalHoldStatus]).toEqual(["COMPLIANCE", until.getTime(), "ON"]);
    const g = await env().client.send(new GetObjectCommand({ Bucket: env().locked, Key: "c.txt" }));
    expect([g.ObjectLockMode, g.ObjectLockLegalHoldStatus]).toEqual(["COMPLIANCE", "ON"]);
    await g.Body!.transformToString();
    const r = await env().client.send(new GetObjectRetentionCommand({ Bucket: env().locked, Key: "c.txt", VersionId: v.VersionId }));
    expect([r.Retention?.Mode, r.Retention?.RetainUntilDate?.getTime()]).toEqual(["COMPLIANCE", until.getTime()]);
    expect((await env().client.send(new GetObjectLegalHoldCommand({ Bucket: env().locked, Key: "c.txt", VersionId: v.VersionId }))).LegalHold?.Status).toBe("ON");

    expect(await failure(del("c.txt", v.VersionId!, true))).toBe("AccessDenied 403");
    await env().client.send(new PutObjectLegalHoldCommand({ Bucket: env().locked, Key: "c.txt", VersionId: v.VersionId, LegalHold: { Status: "OFF" } }));
    expect((await head("c.txt", v.VersionId)).ObjectLockLegalHoldStatus).toBe("OFF");
    expect(await failure(del("c.txt", v.VersionId!, true))).toBe("AccessDenied 403"); // COMPLIANCE: no bypass
    const batch = await env().client.send(new DeleteObjectsCommand({ Bucket: env().locked, Delete: { Objects: [{ Key: "c.txt", VersionId: v.VersionId }] } }));
    expect(batch.Errors?.map((e) => e.Code)).toEqual(["AccessDenied"]);
    // COMPLIANCE may be extended, never shortened, removed or turned into GOVERNANCE.
    expect(await failure(retention("c.txt", v.VersionId!, { Mode: "COMPLIANCE", RetainUntilDate: inDays(1) }, true))).toBe("AccessDenied 403");
    expect(await failure(retention("c.txt", v.VersionId!, { Mode: "GOVERNANCE", RetainUntilDate: inDays(3) }, true))).toBe("AccessDenied 403");
    expect(await failure(retention("c.txt", v.VersionId!, {}, true))).toBe("AccessDenied 403");
    const later = inDays(3);
    await retention("c.txt", v.VersionId!, { Mode: "COMPLIANCE", RetainUntilDate: later });
    expect((await head("c.txt", v.VersionId)).ObjectLockRetainUntilDate?.getTime()).toBe(later.getTime());
    // A delete without a version id only adds a delete marker, as S3.
    const marker = await env().client.send(new DeleteObjectCommand({ Bucket: env().locked, Key: "c.txt" }));
    expect(marker.DeleteMarker).toBe(true);
    expect((await head("c.txt", v.VersionId)).VersionId).toBe(v.VersionId);
  });

  it("GOVERNANCE retention: refused without the bypass header, shortened, removed and deleted with it", async () => {
    const v = await put("g.txt", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(5) });
    expect(await failure(del("g.txt", v.VersionId!))).toBe("AccessDenied 403");
    expect(await failure(retention("g.txt", v.VersionId!, { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) }))).toBe("AccessDenied 403");
    await retention("g.txt", v.VersionId!, { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) }, true);
    await retention("g.txt", v.VersionId!, {}, true);
    const gone = env().client.send(new GetObjectRetentionCommand({ Bucket: env().locked, Key: "g.txt", VersionId: v.VersionId }));
    expect(await failure(gone)).toBe("NoSuchObjectLockConfiguration 404");
    await retention("g.txt", v.VersionId!, { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) });
    expect(await failure(del("g.txt", v.VersionId!))).toBe("AccessDenied 403");
    await del("g.txt", v.VersionId!, true);
    expect(await failure(head("g.txt", v.VersionId))).toMatch(/ 404$/);
    // DeleteObjects: the same per entry, and the bypass header covers the whole request.
    const w = await put("g2.txt", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(5) });
    const entries = { Objects: [{ Key: "g2.txt", VersionId: w.VersionId }] };
    const refused = await env().client.send(new DeleteObjectsCommand({ Bucket: env().locked, Delete: entries }));
    expect(refused.Errors?.map((e) => e.Code)).toEqual(["AccessDenied"]);
    const bypassed = await env().client.send(new DeleteObjectsCommand({ Bucket: env().locked, Delete: entries, BypassGovernanceRetention: true }));
    expect([bypassed.Errors, bypassed.Deleted?.map((d) => d.VersionId)]).toEqual([undefined, [w.VersionId]]);
  });

  it("default retention applies to new versions (PUT, copy, multipart); lock headers on copy and multipart", async () => {
    await env().client.send(new PutObjectLockConfigurationCommand({
      Bucket: env().locked, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } },
    }));
    const cfg = await env().client.send(new GetObjectLockConfigurationCommand({ Bucket: env().locked }));
    expect(cfg.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: "GOVERNANCE", Days: 1 });
    const v = await put("d.txt");
    const h = await head("d.txt", v.VersionId);
    expect(h.ObjectLockMode).toBe("GOVERNANCE");
    expect(Math.abs(h.ObjectLockRetainUntilDate!.getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
    expect(h.ObjectLockLegalHoldStatus).toBeUndefined();

    const copy = await env().client.send(new CopyObjectCommand({
      Bucket: env().locked, Key: "d-copy.txt", CopySource: `${env().locked}/d.txt`, ObjectLockLegalHoldStatus: "ON",
    }));
    const ch = await head("d-copy.txt", copy.VersionId);
    expect([ch.ObjectLockMode, ch.ObjectLockLegalHoldStatus]).toEqual(["GOVERNANCE", "ON"]);

    const until = inDays(4);
    const mp = await env().client.send(new CreateMultipartUploadCommand({
      Bucket: env().locked, Key: "mp.bin", ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: until,
    }));
    const part = await env().client.send(new UploadPartCommand({ Bucket: env().locked, Key: "mp.bin", UploadId: mp.UploadId, PartNumber: 1, Body: "x" }));
    const done = await env().client.send(new CompleteMultipartUploadCommand({
      Bucket: env().locked, Key: "mp.bin", UploadId: mp.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    }));
    const mh = await head("mp.bin", done.VersionId);
    expect([mh.ObjectLockMode, mh.ObjectLockRetainUntilDate?.getTime()]).toEqual(["COMPLIANCE", until.getTime()]);

    await env().client.send(new PutObjectLockConfigurationCommand({ Bucket: env().locked, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    expect((await head("plain-after.txt", (await put("plain-after.txt")).VersionId)).ObjectLockMode).toBeUndefined();
  });

  it("legal hold alone blocks deletion even with the bypass; a version without one answers NoSuchObjectLockConfiguration", async () => {
    const v = await put("h.txt");
    const noHold = env().client.send(new GetObjectLegalHoldCommand({ Bucket: env().locked, Key: "h.txt", VersionId: v.VersionId }));
    expect(await failure(noHold)).toBe("NoSuchObjectLockConfiguration 404");
    await env().client.send(new PutObjectLegalHoldCommand({ Bucket: env().locked, Key: "h.txt", LegalHold: { Status: "ON" } })); // latest
    expect(await failure(del("h.txt", v.VersionId!, true))).toBe("AccessDenied 403");
    await env().client.send(new PutObjectLegalHoldCommand({ Bucket: env().locked, Key: "h.txt", VersionId: v.VersionId, LegalHold: { Status: "OFF" } }));
    await del("h.txt", v.VersionId!);
  });

  it("refusals: lock settings on buckets without Object Lock, past dates, half a retention, missing checksum", async () => {
    expect(await failure(put("x.txt", { ObjectLockLegalHoldStatus: "ON" }, env().plain))).toBe("InvalidRequest 400");
    const v = await put("x.txt", {}, env().plain);
    const onPlain = env().client.send(new PutObjectLegalHoldCommand({ Bucket: env().plain, Key: "x.txt", VersionId: v.VersionId, LegalHold: { Status: "ON" } }));
    expect(await failure(onPlain)).toBe("InvalidRequest 400");
    expect(await failure(env().client.send(new GetObjectRetentionCommand({ Bucket: env().plain, Key: "x.txt" })))).toBe("InvalidRequest 400");
    expect(await failure(put("p.txt", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(-1) }))).toBe("InvalidArgument 400");
    expect(await failure(put("p.txt", { ObjectLockMode: "GOVERNANCE" }))).toBe("InvalidArgument 400");
    const past = retention("x.txt", "0".repeat(24), { Mode: "GOVERNANCE", RetainUntilDate: inDays(-1) });
    expect(await failure(past)).toBe("InvalidArgument 400");
    const noSum = env().noChecksum.send(new PutObjectCommand({ Bucket: env().locked, Key: "n.txt", Body: "x", ObjectLockLegalHoldStatus: "ON" }));
    expect(await failure(noSum)).toBe("InvalidRequest 400");
    expect(await failure(env().client.send(new GetObjectRetentionCommand({ Bucket: env().locked, Key: "nope.txt" })))).toBe("NoSuchKey 404");
  });

  it("Object Lock on an existing bucket: allowed once versioning is Enabled (as S3 now allows), never turned off", async () => {
    const cfg = { ObjectLockEnabled: "Enabled" as const };
    const refused = env().client.send(new PutObjectLockConfigurationCommand({ Bucket: env().plain, ObjectLockConfiguration: cfg }));
    expect(await failure(refused)).toBe("InvalidBucketState 409");
    await env().client.send(new PutBucketVersioningCommand({ Bucket: env().plain, VersioningConfiguration: { Status: "Enabled" } }));
    await env().client.send(new PutObjectLockConfigurationCommand({ Bucket: env().plain, ObjectLockConfiguration: cfg }));
    expect((await env().client.send(new GetObjectLockConfigurationCommand({ Bucket: env().plain }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
    const off = env().client.send(new PutObjectLockConfigurationCommand({ Bucket: env().plain, ObjectLockConfiguration: {} }));
    expect(await failure(off)).toBe("MalformedXML 400");
  });
});
