// keygate sealing rotate | status | prune, run as a child process against a database of its own
// (a rotation covers every key in the database). The rotation is interrupted halfway, by
// --max-batches and by SIGKILL, then resumed; every key keeps working with S3 throughout.
import { randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import { createGatewayServer } from "../../gateway/server";
import type { OrgContext } from "../../lib/auth/context";
import type { Db } from "../../lib/db";
import { createMasterKey } from "../../lib/keys/create-keys";
import { newKeyMaterial, setKeyring } from "../../lib/keys/keyring";
import { rotateKey } from "../../lib/keys/rotate-key";
import { parseSealingKeys, unsealSecret } from "../../lib/keys/sealing";
import { createFsBackend } from "../../lib/storage";
import { checkSecrets } from "../../cli/doctor-checks";
import { createIsolatedDatabase, parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";

// Each CLI run is a fresh Node process (about a second, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let admin: OrgContext;
let projectId: string;
let bucket: string;
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  iso = await createIsolatedDatabase();
  const user = await iso.db.user.create({ data: { email: "admin@sealing.test", name: "Admin" } });
  const org = await iso.db.organization.create({ data: { name: "Sealing" } });
  await iso.db.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
  projectId = (await iso.db.project.create({ data: { orgId: org.id, name: "p" } })).id;
  admin = { actor: { userId: user.id, name: "Admin", email: user.email }, orgId: org.id, role: "ADMIN" };
  gateway = await startGateway(iso.db, iso.url);
  bucket = `sealed-${randomBytes(3).toString("hex")}`;
  await iso.db.bucket.create({ data: { projectId, regionId: "local", name: bucket } });
  await gatewayStorage.createBucket(bucket);
});
afterAll(async () => {
  await gateway?.stop();
  await iso?.drop();
});
beforeEach(async () => {
  await iso.db.accessKey.deleteMany();
});

let gatewayStorage: ReturnType<typeof createFsBackend>;

/** A real gateway on this database: SigV4 verification needs the unsealed secret. */
async function startGateway(db: Db, databaseUrl: string) {
  gatewayStorage = createFsBackend(await tempDir("keygate-cli-gw-"));
  const keys = new KeyStore(db, databaseUrl);
  const events = new EventWriter(databaseUrl, { intervalMs: 50 });
  await keys.start();
  events.start();
  const server = createGatewayServer({ db, keys, events, metrics: createMetrics(), storageFor: () => gatewayStorage, domains: ["localhost"] });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await events.stop();
      await keys.stop();
    },
  };
}

const s3 = (creds: { accessKeyId: string; secret: string }) =>
  new S3Client({ endpoint: gateway.url, region: "local", forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret }, maxAttempts: 1 });

type Issued = { id: string; accessKeyId: string; secret: string };

/** Keys created through the domain with `keys` as the process keyring. */
async function seedKeys(keys: string, n: number): Promise<Issued[]> {
  setKeyring(parseSealingKeys(keys));
  const out: Issued[] = [];
  for (let i = 0; i < n; i++) out.push(await createMasterKey(iso.db, admin, { projectId, name: `k${i}`, regionId: "local" }));
  return out;
}

/** Many keys quickly (one INSERT), sealed with `keys`. */
async function seedManyKeys(keys: string, n: number): Promise<Map<string, string>> {
  setKeyring(parseSealingKeys(keys));
  const rows = Array.from({ length: n }, (_, i) => ({ ...newKeyMaterial(), i }));
  await iso.db.accessKey.createMany({
    data: rows.map((m) => ({
      kind: "MASTER" as const, orgId: admin.orgId, projectId, regionId: "local", name: `bulk${m.i}`, accessKeyId: m.accessKeyId,
      sealedSecret: m.sealedSecret, secretLast4: m.last4, permissions: [], allowedCidrs: [], ownerId: admin.actor.userId, createdById: admin.actor.userId,
    })),
  });
  return new Map(rows.map((m) => [m.accessKeyId, m.secret]));
}

async function versions(): Promise<Record<string, number>> {
  const rows = await iso.db.accessKey.findMany({ select: { sealedSecret: true } });
  const out: Record<string, number> = {};
  for (const r of rows) out[r.sealedSecret.split(".")[0]] = (out[r.sealedSecret.split(".")[0]] ?? 0) + 1;
  return out;
}

/** Every stored secret opens with `keys` and is exactly the secret issued at creation. */
async function expectAllOpen(keys: string, issued: Map<string, string>) {
  const ring = parseSealingKeys(keys);
  const rows = await iso.db.accessKey.findMany({ select: { accessKeyId: true, sealedSecret: true } });
  expect(rows.length).toBe(issued.size);
  for (const r of rows) expect(unsealSecret(ring, r.sealedSecret, r.accessKeyId)).toBe(issued.get(r.accessKeyId));
}

/** The gateway, holding `keys`, accepts each key's original secret (SigV4 verified) and refuses a wrong one. */
async function expectS3Works(keys: string, sample: Issued[]) {
  setKeyring(parseSealingKeys(keys));
  for (const k of sample) gateway.keys.invalidate(k.accessKeyId); // unseal again, with `keys`
  for (const k of sample) {
    const client = s3(k);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `by-${k.accessKeyId}`, Body: "still works" }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `by-${k.accessKeyId}` }));
    expect(await got.Body!.transformToString()).toBe("still works");
  }
  const forged = s3({ accessKeyId: sample[0].accessKeyId, secret: forgeSecret(sample[0].secret) });
  await expect(forged.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
}

describe("keygate sealing rotate with KEYGATE_SEALING_KEYS", () => {
  it("adds a version, is interrupted after one batch, resumes, and every key keeps working", async () => {
    const k1 = randomKeyring(1);
    const keys = await seedKeys(k1, 12);
    const issued = new Map(keys.map((k) => [k.accessKeyId, k.secret]));
    const env = { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: await tempDir(), KEYGATE_SEALING_KEYS: k1 };

    // Step 1: env mode only prints the new value; nothing is sealed with a key no process has yet.
    const added = parseJson<{ step: string; addedVersion: number; sealingKeys: string; restartRequired: boolean }>(await runCli(["sealing", "rotate", "--json"], env));
    expect(added).toMatchObject({ step: "version-added", addedVersion: 2, restartRequired: true });
    expect(added.sealingKeys.startsWith(`${k1},2:`)).toBe(true);
    expect(await versions()).toEqual({ v1: 12 });
    const k12 = added.sealingKeys;

    // Step 2, interrupted: one batch of 5, then stop.
    const partial = await runCli(["sealing", "rotate", "--batch-size", "5", "--max-batches", "1"], { ...env, KEYGATE_SEALING_KEYS: k12 });
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toContain("Stopped after 1 batch(es) (--max-batches): 5 re-sealed, 7 still to do");
    expect(partial.stderr).toContain("batch 1: 5/12 re-sealed");
    expect(await versions()).toEqual({ v1: 7, v2: 5 });
    const status = parseJson<{ pending: number; secretsByVersion: Record<string, number> }>(await runCli(["sealing", "status", "--json"], { ...env, KEYGATE_SEALING_KEYS: k12 }));
    expect(status).toMatchObject({ pending: 7, secretsByVersion: { v1: 7, v2: 5 } });
    // Halfway, keys of both halves work through the gateway.
    await expectAllOpen(k12, issued);
    await expectS3Works(k12, [keys[0], keys[11]]);

    // Resume: continues with what is left, does not add another version.
    const resumed = await runCli(["sealing", "rotate", "--batch-size", "5"], { ...env, KEYGATE_SEALING_KEYS: k12 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("Re-sealing 7 of 12 stored secret(s) with version 2");
    expect(resumed.stdout).toContain("Done: all 12 stored secret(s) are sealed with version 2 (7 re-sealed in this run)");
    expect(await versions()).toEqual({ v2: 12 });

    // Prune prints the keyring without version 1; with it, every key still opens and signs.
    const pruned = await runCli(["sealing", "prune"], { ...env, KEYGATE_SEALING_KEYS: k12 });
    expect(pruned.code, pruned.stderr).toBe(0);
    const k2 = /^KEYGATE_SEALING_KEYS=(\S+)$/m.exec(pruned.stdout)![1];
    expect(parseSealingKeys(k2).keys.size).toBe(1);
    expect(k2).toBe(k12.split(",")[1]);
    await expectAllOpen(k2, issued);
    await expectS3Works(k2, keys);
    // The old key alone opens nothing any more: the secrets really were re-sealed.
    const rows = await iso.db.accessKey.findMany();
    for (const r of rows) expect(() => unsealSecret(parseSealingKeys(k1), r.sealedSecret, r.accessKeyId)).toThrow(/not configured/);
  });

  it("survives being killed mid-run (SIGKILL): committed batches stay, nothing is torn, a rerun finishes", async () => {
    const k1 = randomKeyring(1);
    const issued = await seedManyKeys(k1, 1000);
    const k12 = `${k1},${randomKeyring(2)}`;
    const env = { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: await tempDir(), KEYGATE_SEALING_KEYS: k12 };
    const killed = await runCli(["sealing", "rotate", "--batch-size", "1"], env, (text, child) => {
      if (/batch 3:/.test(text)) child.kill("SIGKILL");
    });
    expect(killed.signal).toBe("SIGKILL");
    const mid = await versions();
    expect(mid.v2).toBeGreaterThanOrEqual(3);
    expect(mid.v1).toBeGreaterThan(0);
    await expectAllOpen(k12, issued);

    const resumed = await runCli(["sealing", "rotate", "--json"], env);
    const report = parseJson<{ done: boolean; resealed: number; total: number }>(resumed);
    expect(report).toMatchObject({ done: true, total: 1000, resealed: mid.v1 });
    expect(await versions()).toEqual({ v2: 1000 });
    await expectAllOpen(k12.split(",")[1], issued);
  });

  it("re-seals the previous secret of a key in a rotation overlap window; both secrets keep working", async () => {
    const k1 = randomKeyring(1);
    const [plain, rotating] = await seedKeys(k1, 2);
    const rotated = await rotateKey(iso.db, admin, rotating.id, { overlapMs: 3_600_000 });
    const k12 = `${k1},${randomKeyring(2)}`;
    const env = { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: await tempDir(), KEYGATE_SEALING_KEYS: k12 };
    const before = parseJson<{ pending: number; secretsByVersion: Record<string, number> }>(await runCli(["sealing", "status", "--json"], env));
    expect(before).toMatchObject({ pending: 3, secretsByVersion: { v1: 3 } });
    expect((await checkSecrets(iso.db, parseSealingKeys(k12))).detail).toBe("all 3 open with the configured sealing keys; 3 sealed with an older version (run keygate sealing rotate)");

    const report = parseJson<{ done: boolean; total: number; resealed: number; remaining: number }>(await runCli(["sealing", "rotate", "--json"], env));
    expect(report).toMatchObject({ done: true, total: 3, resealed: 3, remaining: 0 });
    const k2 = k12.split(",")[1];
    const row = await iso.db.accessKey.findUniqueOrThrow({ where: { id: rotating.id } });
    expect(row.previousSealedSecret!.startsWith("v2.")).toBe(true);
    expect(unsealSecret(parseSealingKeys(k2), row.previousSealedSecret!, row.accessKeyId)).toBe(rotating.secret);
    expect(unsealSecret(parseSealingKeys(k2), row.sealedSecret, row.accessKeyId)).toBe(rotated.secret);
    expect(row.previousSecretUntil).not.toBeNull(); // the window itself is untouched

    // Nothing needs version 1 any more, so it can go; with version 2 alone, old and new secret sign.
    const pruned = await runCli(["sealing", "prune"], env);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(await checkSecrets(iso.db, parseSealingKeys(k2))).toMatchObject({ ok: true, detail: "all 3 open with the configured sealing keys" });
    await expectS3Works(k2, [plain, rotated, rotating]);
  });

  it("refuses to run while another sealing command holds the lock", async () => {
    const env = { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: await tempDir(), KEYGATE_SEALING_KEYS: randomKeyring(1) };
    const holder = new pg.Client({ connectionString: iso.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('keygate.sealing'))");
      const r = await runCli(["sealing", "rotate"], env);
      expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("Another `keygate sealing` command is running")]);
    } finally {
      await holder.end();
    }
  });
});

describe("keygate sealing rotate with the keyring file (<data dir>/sealing-keys)", () => {
  it("rewrites the file atomically (0600), asks for a restart, then re-seals on the next run", async () => {
    const dataDir = await tempDir();
    const file = path.join(dataDir, "sealing-keys");
    const k1 = randomKeyring(1);
    await writeFile(file, `${k1}\n`, { mode: 0o600 });
    const keys = await seedKeys(k1, 3);
    const env = { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: dataDir };

    const first = await runCli(["sealing", "rotate"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Added sealing key version 2 to ${file}`);
    expect(first.stdout).toContain("Restart Keygate");
    const ring = (await readFile(file, "utf8")).trim();
    expect(ring.startsWith(`${k1},2:`)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await versions()).toEqual({ v1: 3 });

    const second = await runCli(["sealing", "rotate"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("Done: all 3 stored secret(s) are sealed with version 2");
    expect((await readFile(file, "utf8")).trim()).toBe(ring); // resuming never adds a version
    await expectAllOpen(ring, new Map(keys.map((k) => [k.accessKeyId, k.secret])));

    const status = await runCli(["sealing", "status"], env);
    expect(status.stdout).toContain(`Sealing keys: ${file} (versions 1, 2; current 2)`);
    const pruned = await runCli(["sealing", "prune"], env);
    expect(pruned.stdout).toContain(`Removed version(s) 1 from ${file}`);
    expect((await readFile(file, "utf8")).trim()).toBe(ring.split(",")[1]);
    await expectS3Works((await readFile(file, "utf8")).trim(), keys);
  });

  it("prune refuses while secrets still use an older version", async () => {
    const k1 = randomKeyring(1);
    await seedKeys(k1, 1);
    const r = await runCli(["sealing", "prune"], { DATABASE_URL: iso.url, KEYGATE_DATA_DIR: await tempDir(), KEYGATE_SEALING_KEYS: `${k1},${randomKeyring(2)}` });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("Secrets are still sealed with v1 (1)")]);
  });
});

/** A secret that differs from `secret` in its last character (whatever that character is). */
function forgeSecret(secret: string): string {
  return secret.slice(0, -1) + (secret.endsWith("x") ? "y" : "x");
}
