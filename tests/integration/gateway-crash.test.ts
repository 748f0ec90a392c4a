// Crash safety: a real gateway process (gateway/main.ts, as `npm start` runs it) is killed
// with SIGKILL in the middle of two large uploads: one to a new key and one replacing an
// existing object. After a restart neither partial object may be visible: the new key does
// not exist, the old version is intact byte for byte, listings show no debris, and the
// gateway serves new writes and reads. The same for a new version of a key in a versioned bucket.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command,
  PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findFreePort } from "../../scripts/lib/embedded-postgres";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createFsBackend } from "../../lib/storage";
import { createSigner, send } from "../bench/sign";
import { createOrgWith, testDb } from "./helpers";

const MiB = 1024 * 1024;
const keyring = `1:${randomBytes(32).toString("base64")}`;
let dir: string;
let port: number;
let url: string;
let child: ChildProcess | null = null;
let output = "";

function startGatewayProcess(): Promise<void> {
  const env = {
    ...process.env,
    DATABASE_URL: inject("databaseUrl"),
    KEYGATE_GATEWAY_PORT: String(port),
    KEYGATE_SEALING_KEYS: keyring,
    KEYGATE_DATA_DIR: path.join(dir, "data"),
    KEYGATE_REGIONS: JSON.stringify([{ id: "local", backend: { type: "fs", path: path.join(dir, "objects") } }]),
  };
  const proc = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  proc.stdout!.on("data", (d: Buffer) => (output += d));
  proc.stderr!.on("data", (d: Buffer) => (output += d));
  return waitForHealth(proc);
}

async function waitForHealth(proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000; // tsx compiling the gateway on a saturated machine took over 30 s
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`gateway exited (${proc.exitCode}):\n${output}`);
    const up = await send(`${url}/health`).then((r) => r.status === 200, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway did not become healthy:\n${output}`);
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once("exit", () => r()));
}

let key: IssuedKey;
let bucket: string;
let client: S3Client;

beforeAll(async () => {
  setKeyring(parseSealingKeys(keyring)); // the child process unseals with the same keyring
  dir = await mkdtemp(path.join(os.tmpdir(), "keygate-crash-"));
  port = await findFreePort(19400 + Math.floor(Math.random() * 500));
  url = `http://127.0.0.1:${port}`;
  const { org, members } = await createOrgWith(["ADMIN"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "crash" } });
  bucket = `crash-${randomBytes(3).toString("hex")}`;
  await createBucket(testDb(), members.ADMIN, { projectId: project.id, regionId: "local", name: bucket }, () => createFsBackend(path.join(dir, "objects")));
  key = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "m", regionId: "local" });
  client = new S3Client({ endpoint: url, region: "local", forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secret } });
  await startGatewayProcess();
}, 120_000); // past startGatewayProcess's own 90 s deadline

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    await Promise.race([exited(child), new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  client?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A 200 MiB body that trickles out 1 MiB at a time, counting what has been produced. */
function slowBody(total: number, sent: { bytes: number }) {
  const chunk = randomBytes(MiB);
  return new Readable({
    read() {
      if (sent.bytes >= total) return void this.push(null);
      setTimeout(() => {
        sent.bytes += chunk.length;
        this.push(chunk);
      }, 5);
    },
  });
}

/** Waits until 40 MiB of each upload are out; an upload answered before that fails the test at once. */
async function untilSent(sent: () => number, uploads: Promise<string>[]): Promise<void> {
  let settled: string | null = null;
  for (const u of uploads) void u.then((r) => (settled ??= r));
  const deadline = Date.now() + 120_000;
  while (sent() < 40 * MiB) {
    if (settled) throw new Error(`an upload ended before the kill (${settled}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`an upload stalled at ${sent() / MiB} MiB:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("gateway crash safety (SIGKILL mid-upload)", () => {
  it("leaves no partial object, keeps the previous version, and serves new requests after a restart", async () => {
    const v1 = randomBytes(64 * 1024);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "kept.bin", Body: v1 }));

    const signer = await createSigner({ accessKeyId: key.accessKeyId, secret: key.secret, region: "local" });
    const TOTAL = 200 * MiB;
    const startUpload = async (objectKey: string, sent: { bytes: number }) => {
      const signed = await signer({ method: "PUT", url: `${url}/${bucket}/${objectKey}`, headers: { "content-length": String(TOTAL) }, payloadHash: "UNSIGNED-PAYLOAD" });
      return send(signed.url, { method: "PUT", headers: signed.headers, body: slowBody(TOTAL, sent) }).then(
        (r) => `answered ${r.status}`,
        (e: Error) => `failed: ${e.message}`,
      );
    };
    const sentNew = { bytes: 0 };
    const sentOld = { bytes: 0 };
    const uploads = [startUpload("fresh.bin", sentNew), startUpload("kept.bin", sentOld)];
    await untilSent(() => Math.min(sentNew.bytes, sentOld.bytes), uploads);

    child!.kill("SIGKILL");
    await exited(child!);
    const results = await Promise.all(uploads);
    expect(results.every((r) => r.startsWith("failed"))).toBe(true); // the connection died, no answer
    expect(sentNew.bytes).toBeLessThan(TOTAL);

    // The partial uploads exist on disk (as temp files of the dead process), just not as objects.
    const leftovers = await readdir(path.join(dir, "objects", ".tmp")).catch(() => []);
    console.log(`[crash] killed after ${sentNew.bytes / MiB} + ${sentOld.bytes / MiB} MiB sent; temp files left by the dead gateway: ${leftovers.length}`);

    await startGatewayProcess();
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: "fresh.bin" })).then(() => 200, (e) => e.$metadata?.httpStatusCode);
    expect(head).toBe(404);
    const get = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "fresh.bin" })).then(() => "OK", (e) => e.name);
    expect(get).toBe("NoSuchKey");
    const kept = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "kept.bin" }));
    expect(kept.ContentLength).toBe(v1.length);
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(v1)).toBe(true);
    const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listing.Contents?.map((o) => [o.Key, o.Size])).toEqual([["kept.bin", v1.length]]);
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);

    const v2 = randomBytes(3 * MiB);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "fresh.bin", Body: v2 }));
    const back = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "fresh.bin" }));
    expect(Buffer.from(await back.Body!.transformToByteArray()).equals(v2)).toBe(true);
  }, 240_000);

  it("a new version killed mid-upload leaves the previous current version intact and no orphan version", async () => {
    const vb = `crashv-${randomBytes(3).toString("hex")}`;
    await client.send(new CreateBucketCommand({ Bucket: vb }));
    await client.send(new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = randomBytes(64 * 1024);
    const first = await client.send(new PutObjectCommand({ Bucket: vb, Key: "doc.bin", Body: v1 }));

    const signer = await createSigner({ accessKeyId: key.accessKeyId, secret: key.secret, region: "local" });
    const TOTAL = 200 * MiB;
    const sent = { bytes: 0 };
    const signed = await signer({ method: "PUT", url: `${url}/${vb}/doc.bin`, headers: { "content-length": String(TOTAL) }, payloadHash: "UNSIGNED-PAYLOAD" });
    const upload = send(signed.url, { method: "PUT", headers: signed.headers, body: slowBody(TOTAL, sent) }).then((r) => `answered ${r.status}`, () => "failed");
    await untilSent(() => sent.bytes, [upload]);
    child!.kill("SIGKILL");
    await exited(child!);
    expect(await upload).toBe("failed");

    await startGatewayProcess();
    const current = await client.send(new GetObjectCommand({ Bucket: vb, Key: "doc.bin" }));
    expect(current.VersionId).toBe(first.VersionId);
    expect(Buffer.from(await current.Body!.transformToByteArray()).equals(v1)).toBe(true);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: vb }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.Size, v.IsLatest])).toEqual([[first.VersionId, v1.length, true]]);
    expect(versions.DeleteMarkers ?? []).toEqual([]);
    // On disk: the bucket holds the one version file; the dead writer's temp file is the sweeper's.
    const storage = createFsBackend(path.join(dir, "objects"), { sweepIntervalMs: 0 });
    await storage.ready;
    await storage.sweepTemp(0);
    const files = (await readdir(path.join(dir, "objects"), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const inBucket = files.filter((e) => e.parentPath.includes(vb)).map((e) => e.name);
    expect(inBucket.sort()).toEqual([`${first.VersionId}.o`, "versioning"]);
    expect(files.filter((e) => e.parentPath.endsWith(".tmp"))).toEqual([]);
  }, 240_000);
});
