// First run from a private directory: a copy of the code (with its build) and its data directory
// under a mode-0700 parent, like a clone under /root. Run as root (CI, containers), PostgreSQL
// runs as `postgres` yet nothing is opened up: the parent stays 0700, and only the cluster
// directory belongs to `postgres`. As an ordinary user the same test covers the usual case.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { assertBuilt, descendants, isAlive, npmStart, postgresPids, timedGet, waitFor, type NpmStart } from "./stack-harness";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 60_000 });

// What `npm start` needs from a clone; node_modules is hard-linked (same files, no copy) and the
// build copied without its cache (next start may write into it).
const SOURCES = ["app", "bin", "cli", "components", "emails", "gateway", "lib", "prisma", "scripts", "package.json", "tsconfig.json", "next.config.ts", "postcss.config.mjs", "prisma.config.ts"];

let parent: string;
let start: NpmStart | undefined;

beforeAll(async () => {
  assertBuilt();
  await mkdir("test-data", { recursive: true });
  parent = await mkdtemp(path.resolve("test-data", "private-")); // mode 0700
});

afterAll(async () => {
  if (start) await start.stop();
  await rm(parent, { recursive: true, force: true });
});

it(`npm start${process.getuid?.() === 0 ? " as root" : ""} from a clone under a 0700 directory reaches a working sign-in page`, async () => {
  const clone = path.join(parent, "keygate");
  const copyStarted = Date.now();
  await mkdir(clone);
  execFileSync("cp", ["-a", ...SOURCES, clone]);
  await mkdir(path.join(clone, ".next"));
  const build = readdirSync(".next").filter((e) => e !== "cache").map((e) => path.join(".next", e)); // the cache only speeds up builds
  execFileSync("cp", ["-a", ...build, path.join(clone, ".next")]);
  execFileSync("cp", ["-al", "node_modules", clone]);
  const copyMs = Date.now() - copyStarted;

  const started = Date.now();
  start = await npmStart({ cwd: clone, dataDir: path.join(clone, "data"), ownGroup: true });
  const signin = await timedGet(`${start.web}/signin`);
  const readyMs = Date.now() - started;
  expect(signin.status).toBe(200);
  expect(signin.body).toContain("Sign in to Keygate");
  expect(signin.body).toContain('type="email"');

  expect(statSync(parent).mode & 0o777).toBe(0o700); // nothing was opened up
  const postgres = postgresPids(start.dataDir);
  if (process.getuid?.() === 0) {
    const owner = (p: string) => statSync(p).uid;
    expect(owner(path.join(clone, "data"))).toBe(0);
    expect(statSync(path.join(clone, "data")).mode & 0o077).toBe(0);
    expect(owner(path.join(clone, "data", "postgres"))).not.toBe(0);
    // The server runs as the unprivileged user, never as root.
    const [postmasterPid, ...backends] = postgres;
    expect(statSync(`/proc/${postmasterPid}`).uid, `postmaster pid ${postmasterPid}`).not.toBe(0);
    for (const pid of backends) {
      const uid = statSync(`/proc/${pid}`, { throwIfNoEntry: false })?.uid; // a backend may end between listing and stat
      if (uid !== undefined) expect(uid, `postgres pid ${pid}`).not.toBe(0);
    }
  }
  // Ctrl-C in the terminal (SIGINT to npm start and its web and gateway at once) stops all of it.
  const children = descendants(start.proc.pid!);
  expect(await start.stop("ctrl-c")).toBe(0);
  start = undefined;
  await waitFor("every process stopped", async () => ![...children, ...postgres].some(isAlive), 20_000);
  console.log(`copy of the code: ${copyMs} ms; npm start to a working sign-in page (existing build, first run, empty data dir): ${readyMs} ms`);
});
