// Issue 11, item 1: on an `s3` region, a tenant cannot take over a bucket that exists upstream
// but was not created through Keygate; adopting one is an operator's CLI act, with an event.
// The upstream is a second Keygate gateway (fs backend), as in gateway-s3-backend.test.ts.
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket } from "../../lib/buckets/buckets";
import { reloadEnv } from "../../lib/env";
import { AppError } from "../../lib/errors";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { createS3Backend } from "../../lib/storage/s3-backend";
import type { StorageBackend } from "../../lib/storage/types";
import { parseJson, runCli, tempDir } from "./cli-harness";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { createOrgWith, testDb } from "./helpers";

let upstream: Gateway;
let upstreamKey: IssuedKey;
let front: StorageBackend;
let regionsJson: string;
const foreign = `kg-foreign-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  upstream = await startGateway();
  const up = await seedProject(upstream, []);
  upstreamKey = await createMasterKey(testDb(), up.admin, { projectId: up.project.id, name: "upstream", regionId: "local" });
  // Region "front" forwards to the upstream; its buckets must start with "kg-".
  regionsJson = JSON.stringify([
    { id: "local", backend: { type: "fs" } },
    { id: "front", backend: { type: "s3", endpoint: upstream.url, region: "local", accessKeyId: upstreamKey.accessKeyId, secretAccessKey: upstreamKey.secret, bucketPrefix: "kg-" } },
  ]);
  process.env.KEYGATE_REGIONS = regionsJson;
  reloadEnv(); // the upstream gateway above has already read the environment
  await testDb().region.upsert({ where: { id: "front" }, create: { id: "front", endpoint: "http://front.invalid" }, update: {} });
  front = createS3Backend({ endpoint: upstream.url, region: "local", accessKeyId: upstreamKey.accessKeyId, secretAccessKey: upstreamKey.secret, forcePathStyle: true });
  // Someone else's bucket on the upstream service, with data in it.
  const client = s3(upstream, upstreamKey);
  await client.send(new CreateBucketCommand({ Bucket: foreign }));
  await client.send(new PutObjectCommand({ Bucket: foreign, Key: "payroll.csv", Body: "alice,100000" }));
}, 60_000);

afterAll(() => upstream?.stop());

const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.message}` : String(e)));

async function tenant() {
  const { org, members } = await createOrgWith(["ADMIN"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "tenant" } });
  return { ctx: members.ADMIN, project };
}

describe("s3 regions: upstream buckets", () => {
  it("refuses to create a bucket whose name already exists upstream (not created by Keygate)", async () => {
    const t = await tenant();
    const result = await outcome(createBucket(testDb(), t.ctx, { projectId: t.project.id, regionId: "front", name: foreign }, () => front));
    expect(result).toMatch(/^409 A bucket with this name already exists in this region's storage/);
    expect(await testDb().bucket.count({ where: { projectId: t.project.id } })).toBe(0);
  });

  it("refuses names without the region's prefix, creates names with it", async () => {
    const t = await tenant();
    const other = `other-${randomBytes(3).toString("hex")}`;
    expect(await outcome(createBucket(testDb(), t.ctx, { projectId: t.project.id, regionId: "front", name: other }, () => front)))
      .toBe('400 Bucket names in region front start with "kg-".');
    expect(await testDb().bucket.count({ where: { name: other } })).toBe(0);
    const mine = `kg-mine-${randomBytes(3).toString("hex")}`;
    expect(await outcome(createBucket(testDb(), t.ctx, { projectId: t.project.id, regionId: "front", name: mine }, () => front))).toBe("ok");
    expect(await front.bucketExists(mine)).toBe(true);
  });

  it("an operator adopts an existing upstream bucket with the CLI, recorded as bucket.adopted", async () => {
    const t = await tenant();
    const env = { DATABASE_URL: inject("databaseUrl"), KEYGATE_REGIONS: regionsJson, KEYGATE_DATA_DIR: await tempDir("kg-adopt-") };
    const missing = await runCli(["bucket", "adopt", "--project", t.project.id, "--region", "front", "--name", "kg-does-not-exist-1"], env);
    expect(missing.code).toBe(1);
    const res = await runCli(["bucket", "adopt", "--project", t.project.id, "--region", "front", "--name", foreign, "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    expect(parseJson(res)).toMatchObject({ name: foreign, regionId: "front", projectId: t.project.id });
    const event = await testDb().event.findFirstOrThrow({ where: { projectId: t.project.id, type: "bucket.adopted" } });
    expect(event).toMatchObject({ actorName: "keygate CLI", data: { name: foreign, regionId: "front" } });
  });
});
