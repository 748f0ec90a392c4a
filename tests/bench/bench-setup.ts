// Data and requests for tests/bench/gateway.ts: an embedded PostgreSQL with a migrated database,
// a project with bucket "bench" and a master key, and every request the load generator replays,
// signed once here (presigned GET URLs, pre-signed PUT header sets carrying the body's SHA-256).
import { createHash, randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Req } from "./bench-load";
import { createSigner, send, type SigV4Credentials } from "./sign";

export type Signed = { get: Req[]; put: Req[]; body: Buffer; largePut: Req; largeGet: Req };
type Kind = "gateway" | "bare" | "s3rver";

const PUT_KEYS = 16 * 32; // one key per connection and slot, as the load generator cycles them
const S3RVER: SigV4Credentials = { accessKeyId: "S3RVER", secret: "S3RVER", region: "us-east-1" };

async function presignGet(creds: SigV4Credentials, base: string, key: string): Promise<Req> {
  const { S3Client, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const sdk = new S3Client({ endpoint: base, region: creds.region, forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret } });
  return { url: await getSignedUrl(sdk, new GetObjectCommand({ Bucket: "bench", Key: key }), { expiresIn: 3600 }), headers: {} };
}

export async function createTargets(dataDir: string, smallBytes: number, largeBytes: number) {
  const [{ startEmbeddedPostgres }, { applyMigrations }, { syncRegions }, { createDb }, { setKeyring }, { parseSealingKeys }, { createMasterKey }, { createBucket }, { createFsBackend }] =
    await Promise.all([
      import("../../scripts/lib/embedded-postgres"), import("../../scripts/lib/schema-engine"), import("../../scripts/lib/sync-regions"),
      import("../../lib/db"), import("../../lib/keys/keyring"), import("../../lib/keys/sealing"), import("../../lib/keys/create-keys"),
      import("../../lib/buckets/buckets"), import("../../lib/storage"),
    ]);
  const objects = path.join(dataDir, "objects");
  const bareDir = path.join(dataDir, "bare");
  const s3rverDir = path.join(dataDir, "s3rver");
  for (const d of [objects, bareDir, s3rverDir]) await fsp.rm(d, { recursive: true, force: true });
  await fsp.mkdir(bareDir, { recursive: true });
  await fsp.mkdir(s3rverDir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir, quiet: true });
  const database = `keygate_bench_${Date.now()}`;
  await pg.createDatabase(database);
  const databaseUrl = pg.url(database);
  await applyMigrations(databaseUrl);
  const regions = [{ id: "local", backend: { type: "fs" as const, path: objects } }];
  await syncRegions(databaseUrl, [{ ...regions[0], endpoint: "http://localhost:9000" }]);
  const sealing = `1:${randomBytes(32).toString("base64")}`;
  setKeyring(parseSealingKeys(sealing));
  const db = createDb(databaseUrl, 4);
  const storage = createFsBackend(objects);
  const user = await db.user.create({ data: { email: `bench-${Date.now()}@keygate.test`, name: "Bench" } });
  const org = await db.organization.create({ data: { name: "Bench" } });
  await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
  const project = await db.project.create({ data: { orgId: org.id, name: "bench" } });
  const ctx = { actor: { userId: user.id, name: user.name, email: user.email }, orgId: org.id, role: "ADMIN" as const };
  await createBucket(db, ctx, { projectId: project.id, regionId: "local", name: "bench" }, () => storage);
  const key = await createMasterKey(db, ctx, { projectId: project.id, name: "bench", regionId: "local" });
  await db.$disconnect();
  const gatewayCreds: SigV4Credentials = { accessKeyId: key.accessKeyId, secret: key.secret, region: "local" };

  const body = randomBytes(smallBytes);
  const bodySha = createHash("sha256").update(body).digest("hex");
  const block = randomBytes(1024 * 1024);
  const blockFile = path.join(dataDir, "block.bin");
  await fsp.writeFile(blockFile, block);
  const largeMd5 = createHash("md5");
  for (let i = 0; i < largeBytes / block.length; i++) largeMd5.update(block);
  const largeContentMd5 = largeMd5.digest("base64");

  /** Everything the load generator sends to `base`; the bare server gets the gateway's bytes. */
  async function sign(base: string, kind: Kind): Promise<Signed> {
    const creds = kind === "s3rver" ? S3RVER : gatewayCreds;
    const signer = await createSigner(creds);
    const put: Req[] = [];
    for (let i = 0; i < PUT_KEYS; i++) {
      put.push(await signer({ method: "PUT", url: `${base}/bench/small-${i}`, payloadHash: bodySha, headers: { "content-length": String(smallBytes) } }));
    }
    const largePut = await signer({
      method: "PUT", url: `${base}/bench/large.bin`, payloadHash: "UNSIGNED-PAYLOAD",
      headers: { "content-length": String(largeBytes), "content-md5": largeContentMd5 },
    });
    return { get: [await presignGet(creds, base, "small-get")], put, body, largePut, largeGet: await presignGet(creds, base, "large.bin") };
  }

  /** The object every GET run reads, on each server. */
  async function seedSmall(gateway: Signed, s3rver: Signed) {
    for (const signed of [gateway, s3rver]) {
      const url = signed.put[0].url.replace(/small-0$/, "small-get");
      const signer = await createSigner(signed === s3rver ? S3RVER : gatewayCreds);
      const req = await signer({ method: "PUT", url, payloadHash: bodySha, headers: { "content-length": String(smallBytes) } });
      const res = await send(req.url, { method: "PUT", headers: req.headers, body });
      if (res.status !== 200) throw new Error(`seeding ${url}: HTTP ${res.status} ${res.body}`);
    }
    await fsp.writeFile(path.join(bareDir, encodeURIComponent("bench/small-get")), body);
  }

  const gatewayEnv = {
    DATABASE_URL: databaseUrl, KEYGATE_SEALING_KEYS: sealing, KEYGATE_DATA_DIR: dataDir, KEYGATE_REGIONS: JSON.stringify(regions),
    KEYGATE_GATEWAY_DOMAINS: "localhost", NODE_ENV: "production",
  };
  const cleanup = async () => {
    await pg.stop();
    for (const d of [objects, bareDir, s3rverDir, blockFile]) await fsp.rm(d, { recursive: true, force: true });
  };
  return { databaseUrl, gatewayEnv, bareDir, s3rverDir, blockFile, sign, seedSmall, cleanup };
}
