// npm start killed hard (SIGKILL, the OOM killer) leaves the embedded PostgreSQL running: it has
// its own process group so that a Ctrl-C stops the web and the gateway before it. The next start
// stops that leftover server and goes on with the data intact; while the process that started
// it still runs, another start on the same data directory is refused in one line instead.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, type RunningPostgres, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { postmaster } from "./stack-harness";

let dataDir = "";
let holder: ChildProcess | null = null;
let server: RunningPostgres | null = null;
let leftoverPid = 0;


async function startHolder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/postgres-holder.ts", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`holder exited (${code})`)));
  });
  return child;
}

const postmasterPid = () => postmaster(dataDir).pid;

async function rows(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT v FROM kept")).rows.map((r) => r.v);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await server?.stop();
  holder?.kill("SIGKILL");
  if (leftoverPid && isAlive(leftoverPid)) process.kill(leftoverPid, "SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the embedded PostgreSQL left running by an earlier start", () => {
  it("is not touched while the process that started it runs: a second start is refused in one line", async () => {
    await mkdir("test-data", { recursive: true });
    dataDir = await mkdtemp(path.resolve("test-data", "leftover-"));
    holder = await startHolder();
    leftoverPid = postmasterPid();
    const refused = await startEmbeddedPostgres({ dataDir, quiet: true }).then(() => null, (err: Error) => err.message);
    expect(refused).toMatch(new RegExp(`^PostgreSQL in .* is in use by another Keygate process \\(pid ${holder.pid}\\): stop that one first`));
    expect(refused).not.toContain("\n");
    expect(isAlive(leftoverPid)).toBe(true);
  }, 60_000);

  it("is stopped by the next start once that process is gone, and the data is intact", async () => {
    holder!.kill("SIGKILL");
    await new Promise((r) => holder!.once("exit", r));
    expect(isAlive(leftoverPid)).toBe(true); // the server outlived the process that started it
    server = await startEmbeddedPostgres({ dataDir, quiet: true });
    expect(isAlive(leftoverPid)).toBe(false);
    expect(postmasterPid()).toBe(server.pid());
    expect(await rows(server.adminUrl("postgres"))).toEqual(["before"]);
  }, 60_000);
});
