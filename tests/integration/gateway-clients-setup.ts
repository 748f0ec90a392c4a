// Shared by the real-client tests: one gateway with two buckets and three keys (master,
// read-only, one bucket), and helpers to run a client command and check its outcome.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect } from "vitest";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

// Before any gateway exists: probing (and installing) tools blocks this process.
export const tools = ensureTools(["aws", "rclone", "s3cmd", "boto3"]);

export const MiB = 1024 * 1024;
export const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
export const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => e?.name ?? String(e));

// Live bindings: filled by setUpClients() before the tests run.
export let gw: Gateway;
export let bucketA: string;
export let bucketB: string;
export let master: IssuedKey;
export let readOnly: IssuedKey;
export let oneBucket: IssuedKey;
export let work: string;

/** Call at the top of a test file: a gateway, two buckets, and a master, read-only and one-bucket key. */
export function setUpClients(): void {
  beforeAll(async () => {
    gw = await startGateway();
    const seeded = await seedProject(gw, ["cli-a", "cli-b"]);
    [bucketA, bucketB] = seeded.buckets;
    const { admin, project } = seeded;
    master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    readOnly = await createSubKey(testDb(), admin, { projectId: project.id, name: "ro", regionId: "local", permissions: ["read", "list"], bucketScope: "all" });
    const aId = (await testDb().bucket.findFirstOrThrow({ where: { name: bucketA } })).id;
    oneBucket = await createSubKey(testDb(), admin, {
      projectId: project.id, name: "one", regionId: "local", permissions: ["read", "write", "list", "delete"], bucketScope: "selected", bucketIds: [aId],
    });
    // A fixture object every client may read, written by the master key.
    await s3(gw, master).send(new PutObjectCommand({ Bucket: bucketA, Key: "fixture/hello.txt", Body: "hello from keygate\n" }));
    work = clientEnv(gw.url, master).home;
  });
  afterAll(async () => {
    await gw?.stop();
    removeClientHomes();
  });
}

export function file(name: string, bytes: Buffer): string {
  const p = path.join(work, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

const shown = (cmd: string[]) => cmd.join(" ").replace(/(--secret_key=)\S+/, "$1***");
export async function ok(cmd: string[], env: Record<string, string>) {
  const r = await run(cmd, { env });
  expect(r.code, `${shown(cmd)}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
export async function denied(cmd: string[], env: Record<string, string>, what = "AccessDenied") {
  const r = await run(cmd, { env });
  expect(r.code, `${shown(cmd)} should fail\n${r.stdout}`).not.toBe(0);
  expect(r.stderr + r.stdout).toContain(what);
  return r;
}
