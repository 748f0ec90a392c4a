// Keygate stays up: `npm start` (the real process tree) with PostgreSQL frozen, PostgreSQL
// killed, and the gateway killed. Needs the production build (npm test builds it first).
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../../lib/db";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { loadOrCreateKeyringFile } from "../../lib/keys/sealing";
import {
  appDatabaseUrl, assertBuilt, descendants, gatewayPid, isAlive, npmStart, postgresPids, postmaster, timedGet, waitFor, type NpmStart,
} from "./stack-harness";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

let start: NpmStart;
let db: Db;
let orgId: string;
let cookie: Record<string, string>;
let keys: IssuedKey[] = [];

/** ListBuckets through the gateway with one key: the HTTP status (the SDK never retries here). */
async function listBuckets(key: IssuedKey): Promise<{ status: number; ms: number }> {
  const client = new S3Client({
    endpoint: start.gateway, region: "local", forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secret },
  });
  const started = Date.now();
  try {
    const out = await client.send(new ListBucketsCommand({}));
    return { status: out.$metadata.httpStatusCode ?? 0, ms: Date.now() - started };
  } catch (err) {
    return { status: (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0, ms: Date.now() - started };
  } finally {
    client.destroy();
  }
}

const api = (key: IssuedKey) =>
  timedGet(`${start.web}/api/v1/buckets`, { authorization: `Basic ${Buffer.from(`${key.accessKeyId}:${key.secret}`).toString("base64")}` });
const consolePage = () => timedGet(`${start.web}/orgs/${orgId}`, cookie);
const signal = (pids: number[], sig: NodeJS.Signals) => pids.forEach((p) => isAlive(p) && process.kill(p, sig));

beforeAll(async () => {
  assertBuilt();
  await mkdir("test-data", { recursive: true });
  const dataDir = await mkdtemp(path.resolve("test-data", "stack-"));
  start = await npmStart({ cwd: process.cwd(), dataDir, viaNpm: true });
  db = createDb(appDatabaseUrl(dataDir), 2, { connectMs: 5000, poolWaitMs: 10_000, statementMs: 10_000 });
  setKeyring(await loadOrCreateKeyringFile(path.join(dataDir, "sealing-keys")));
  const user = await db.user.create({ data: { email: `ops-${randomBytes(4).toString("hex")}@stack.test`, name: "Ops" } });
  const org = await db.organization.create({ data: { name: "Stack test org" } });
  orgId = org.id;
  await db.membership.create({ data: { orgId, userId: user.id, role: "ADMIN" } });
  const project = await db.project.create({ data: { orgId, name: "stack" } });
  const ctx = { actor: { userId: user.id, name: user.name, email: user.email, ip: null, userAgent: null }, orgId, role: "ADMIN" as const };
  for (const name of ["used", "uncached-1", "uncached-2"]) keys.push(await createMasterKey(db, ctx, { projectId: project.id, name, regionId: "local" }));
  const sessionToken = randomBytes(24).toString("hex");
  await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) } });
  cookie = { cookie: `next-auth.session-token=${sessionToken}` };
});

afterAll(async () => {
  await db?.$disconnect();
  if (!start) return;
  const pg = postgresPids(start.dataDir);
  const children = descendants(start.proc.pid!);
  signal(pg, "SIGCONT");
  // SIGTERM to npm (kill, docker stop) stops everything cleanly: exit code 0, nothing left. The
  // shell npm runs the script with does not pass signals on, hence `exec` in package.json.
  expect(await start.stop()).toBe(0);
  await waitFor("every process of npm start stopped", async () => ![...children, ...pg].some(isAlive), 10_000);
  await rm(start.dataDir, { recursive: true, force: true });
});

describe("npm start keeps Keygate up", () => {
  it("PostgreSQL frozen for 10 s: 503 on the gateway within 2 s, the console's error page, 503 on the API; all back after", async () => {
    // Warm up (the first lookup connects; on a loaded machine that can exceed the 1.5 s limit).
    await waitFor("gateway serves the key", async () => (await listBuckets(keys[0])).status === 200, 30_000);
    expect((await consolePage()).body).toContain("Stack test org"); // the first render compiles, slower
    const healthyPage = await consolePage();
    expect(healthyPage.body).toContain("Stack test org");
    const healthyApi = await api(keys[0]);
    expect(healthyApi.status).toBe(200);
    const before = postmaster(start.dataDir).pid;

    const frozen = postgresPids(start.dataDir);
    const frozenAt = Date.now();
    signal(frozen, "SIGSTOP");
    try {
      const gw = await listBuckets(keys[1]); // never looked up: the gateway must ask PostgreSQL
      expect(gw.status).toBe(503);
      expect(gw.ms).toBeLessThan(2000);
      const page = await consolePage();
      expect(page.ms - healthyPage.ms).toBeLessThan(4000); // the database timeouts (2 s connect, 2.5 s for a query) plus rendering the error page
      expect(page.status).not.toBe(307); // not sent to the sign-in page
      expect(page.headers.get("location") ?? "").not.toContain("/signin");
      // The server hands the error to app/error.tsx with our digest: the browser renders
      // "Database unavailable, retrying" and polls /api/health/ready (no redirect, no sign-out).
      const digests = [...page.body.matchAll(/digest\\?":\\?"([^"\\]+)/g)].map((m) => m[1]);
      expect(new Set(digests)).toEqual(new Set(["KEYGATE_DATABASE_UNAVAILABLE"]));
      const apiRes = await api(keys[0]);
      expect(apiRes.status).toBe(503);
      expect(apiRes.ms - healthyApi.ms).toBeLessThan(3500); // the database timeouts (2 s connect, 2.5 s for a query)
      expect(apiRes.headers.get("retry-after")).toBe("5");
      expect(JSON.parse(apiRes.body)).toEqual({ error: { code: "database_unavailable", message: expect.any(String) } });
      expect((await timedGet(`${start.web}/api/health/ready`)).status).toBe(503);
      expect((await timedGet(`${start.web}/api/health/live`)).status).toBe(200);
      expect((await timedGet(`${start.gateway}/health`)).status).toBe(503);
      expect((await timedGet(`${start.gateway}/health/live`)).status).toBe(200);
      console.log(`frozen: gateway 503 in ${gw.ms} ms, console error page (HTTP ${page.status}) in ${page.ms} ms (healthy: ${healthyPage.ms} ms), API 503 in ${apiRes.ms} ms (healthy: ${healthyApi.ms} ms)`);
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - frozenAt))));
    } finally {
      signal(frozen, "SIGCONT");
    }
    const recovered = await waitFor("gateway answers again", async () => (await listBuckets(keys[2])).status === 200, 15_000);
    expect((await consolePage()).body).toContain("Stack test org");
    expect((await api(keys[0])).status).toBe(200);
    expect(postmaster(start.dataDir).pid).toBe(before); // thawed, not restarted
    console.log(`thawed: everything answers again after ${recovered} ms`);
  });

  it("PostgreSQL killed: restarted by the supervisor within 10 s, data intact, keys created before work", async () => {
    const before = postmaster(start.dataDir).pid;
    const fresh = await createMasterKey(db, await adminCtx(), { projectId: await projectId(), name: "before-kill", regionId: "local" });
    process.kill(before, "SIGKILL");
    const restarted = await waitFor("PostgreSQL restarted", async () => {
      const now = postmaster(start.dataDir).pid;
      return now !== before && isAlive(now) && (await timedGet(`${start.gateway}/health`)).status === 200;
    }, 10_000);
    expect(start.output()).toMatch(/PostgreSQL exited \(SIGKILL\); restarting PostgreSQL in 1s/);
    expect((await listBuckets(fresh)).status).toBe(200); // created before, never used: read after the restart
    expect((await listBuckets(keys[0])).status).toBe(200);
    expect((await consolePage()).body).toContain("Stack test org");
    expect(await db.accessKey.count({ where: { orgId } })).toBe(4);
    console.log(`PostgreSQL killed: ready again after ${restarted} ms\n${supervisorLines()}`);
  });

  it("gateway killed with SIGKILL: restarted; the console never went down", async () => {
    const before = gatewayPid(start);
    const consoleStatuses: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) consoleStatuses.push((await timedGet(`${start.web}/api/health/live`)).status, (await consolePage()).status);
    })();
    process.kill(before, "SIGKILL");
    // Generous: a gateway starts in a few seconds, far slower on a loaded 2-core CI machine.
    const back = await waitFor("gateway restarted", async () => (await timedGet(`${start.gateway}/health`)).status === 200 && gatewayPid(start) !== before, 90_000)
      .catch((err: Error) => Promise.reject(new Error(`${err.message}\n${supervisorLines()}`)));
    watching = false;
    await watcher;
    expect(start.output()).toMatch(/gateway exited \(SIGKILL\); restarting gateway/);
    expect((await listBuckets(keys[0])).status).toBe(200);
    expect(consoleStatuses.length).toBeGreaterThan(4);
    expect(new Set(consoleStatuses), `console statuses meanwhile: ${consoleStatuses.join(" ")}\n${supervisorLines()}`).toEqual(new Set([200]));
    console.log(`gateway killed: serving again after ${back} ms; console answered ${consoleStatuses.length} requests meanwhile, all 200\n${supervisorLines()}`);
  });
});

async function adminCtx() {
  const m = await db.membership.findFirstOrThrow({ where: { orgId }, include: { user: true } });
  return { actor: { userId: m.userId, name: m.user.name, email: m.user.email, ip: null, userAgent: null }, orgId, role: "ADMIN" as const };
}

async function projectId() {
  return (await db.project.findFirstOrThrow({ where: { orgId } })).id;
}

const supervisorLines = () => start.output().split("\n").filter((l) => l.includes("[keygate]")).join("\n");
