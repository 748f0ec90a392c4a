// npm start killed hard (kill -9, the OOM killer): the web and the gateway stop by themselves
// (they used to keep serving, on the ports the next start needs), and the next npm start on the
// same data directory comes up. PostgreSQL, in its own process group so that a Ctrl-C reaches
// it last, is the one part that outlives the supervisor; the next start stops it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { assertBuilt, descendants, isAlive, npmStart, postgresPids, postmaster, timedGet, waitFor, type NpmStart } from "./stack-harness";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 60_000 });

let dataDir: string;
let start: NpmStart | undefined;
let leftover = 0;
let children: number[] = [];

beforeAll(async () => {
  assertBuilt();
  await mkdir("test-data", { recursive: true });
  dataDir = await mkdtemp(path.resolve("test-data", "hard-kill-"));
});

afterAll(async () => {
  if (start) await start.stop();
  for (const pid of [...children, leftover]) if (pid && isAlive(pid)) process.kill(pid, "SIGKILL"); // after a failure
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("npm start killed with SIGKILL: web and gateway stop by themselves, the next start takes over the data directory", async () => {
  const first = await npmStart({ cwd: process.cwd(), dataDir });
  const postgres = postgresPids(dataDir);
  children = descendants(first.proc.pid!).filter((pid) => !postgres.includes(pid)); // web, gateway and its workers
  expect(children.length).toBeGreaterThanOrEqual(2);
  first.proc.kill("SIGKILL");
  const stoppedMs = await waitFor("web and gateway stopped", async () => !children.some(isAlive), 20_000);
  leftover = postmaster(dataDir).pid;
  expect(isAlive(leftover)).toBe(true); // the database outlived it

  const started = Date.now();
  start = await npmStart({ cwd: process.cwd(), dataDir });
  const signin = await timedGet(`${start.web}/signin`);
  expect(signin.status).toBe(200);
  expect(signin.body).toContain('type="email"');
  await waitFor("the leftover PostgreSQL stopped", async () => !isAlive(leftover), 5_000);
  expect(postmaster(dataDir).pid).not.toBe(leftover);
  expect(start.output()).toContain(`stopping PostgreSQL (pid ${leftover}) left running`);
  console.log(`supervisor killed: web and gateway stopped after ${stoppedMs} ms; the next npm start served its sign-in page after ${Date.now() - started} ms`);
  expect(await start.stop()).toBe(0);
  start = undefined;
});
