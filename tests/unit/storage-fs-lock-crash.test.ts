// kill -9 during Object Lock state writes: a child process keeps rewriting one version's
// retention (always extending it) and legal hold, and keeps writing new versions that carry a
// retention, through the fs backend, and is SIGKILLed. Afterwards the lock state is whole (never
// torn, never lost, never shorter than before), every version has the retention it was written
// with, the locked version still cannot be deleted, and nothing but temp files is left over.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, StorageError, type FsBackend } from "../../lib/storage/index";

let work: string;
let root: string;
let b: FsBackend;
let versionId: string;
const base = Date.now() + 86_400_000;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "keygate-lock-crash-"));
  root = join(work, "data");
  b = createFsBackend(root);
  await b.createBucket("lock", { objectLock: true });
  const lock = { retention: { mode: "GOVERNANCE" as const, retainUntil: new Date(base) }, legalHold: false };
  versionId = (await b.putObject("lock", "doc", [Buffer.from("x")] as never, { userMetadata: {}, lock })).versionId!;
});
afterAll(() => rm(work, { recursive: true, force: true }));

const childSource = (backendUrl: string) => `
import { createFsBackend } from ${JSON.stringify(backendUrl)};
const b = createFsBackend(${JSON.stringify(root)});
const ref = { bucket: "lock", key: "doc", versionId: ${JSON.stringify(versionId)} };
// Continue from the state the previous (killed) run left: retention is only ever extended.
let n = Math.round(((await b.getObjectRetention(ref)).retainUntil.getTime() - ${base}) / 1000);
async function retentionLoop() {
  for (;;) {
    n++;
    await b.putObjectRetention(ref, { mode: "GOVERNANCE", retainUntil: new Date(${base} + n * 1000) });
    await b.putObjectLegalHold(ref, n % 2 === 1);
    if (n % 20 === 0) process.stdout.write("LOCK-LOOP\\n");
  }
}
async function putLoop() {
  for (let i = 1; ; i++) {
    await b.putObject("lock", "many", [Buffer.alloc(4096, i % 251)], { userMetadata: {}, lock: { retention: { mode: "COMPLIANCE", retainUntil: new Date(${base}) } } });
    if (i === 20) process.stdout.write("PUT-LOOP\\n");
  }
}
retentionLoop();
putLoop();
`;

async function runAndKill(script: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  await new Promise<void>((done, fail) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("LOCK-LOOP") && out.includes("PUT-LOOP")) done();
    });
    child.on("exit", (code) => fail(new Error(`child exited early (${code}): ${err}`)));
  });
  await new Promise((r) => setTimeout(r, 100 + Math.random() * 150));
  const exited = new Promise((r) => child.on("exit", (_code, signal) => r(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name))));
    else out.push(e.name);
  }
  return out;
}

describe("fs backend: Object Lock state under kill -9", { timeout: 90_000 }, () => {
  it("keeps every version's lock whole and in force", async () => {
    const script = join(work, "child.mts");
    await writeFile(script, childSource(pathToFileURL(resolve("lib/storage/index.ts")).href));
    let last = base;
    for (let round = 0; round < 3; round++) {
      await runAndKill(script);
      const ref = { bucket: "lock", key: "doc", versionId };
      const retention = await b.getObjectRetention(ref);
      expect(retention.mode).toBe("GOVERNANCE");
      expect(retention.retainUntil.getTime()).toBeGreaterThanOrEqual(last); // never lost, never shortened
      last = retention.retainUntil.getTime();
      expect(typeof (await b.getObjectLegalHold(ref))).toBe("boolean");
      const refused = await b.deleteObject("lock", "doc", versionId).catch((e) => e);
      expect(refused).toBeInstanceOf(StorageError);
      expect((refused as StorageError).code).toBe("AccessDenied");
      const listed = await b.listObjectVersions("lock", { prefix: "many", maxKeys: 1000 });
      expect(listed.versions.length).toBeGreaterThan(0);
      for (const v of listed.versions) {
        const info = await b.headObject("lock", "many", v.versionId);
        expect(info.lock?.retention?.mode).toBe("COMPLIANCE");
      }
    }
    // Only versions and lock sidecars in the bucket; whatever else the kills left is in .tmp.
    const names = await filesUnder(join(root, "buckets", "lock", "objects"));
    expect(names.every((n) => /^(f[0-9a-f]+|[0-9a-f]{24}\.[oml])$/.test(n))).toBe(true);
    await b.sweepTemp(0);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
  });
});
