// Must show of issue 17: from an empty data directory and without a browser, the CLI creates an
// organization with its admin, a project, a bucket and a master key; an organization API token
// then creates a second project and a master key, with which the AWS SDK uploads an object.
// The steps are a shell script (tests/headless-bootstrap.sh), run against `npm start`.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createDb } from "../../lib/db";
import { cliEnv } from "./cli-harness";
import { appDatabaseUrl, assertBuilt, npmStart, type NpmStart } from "./stack-harness";

vi.setConfig({ testTimeout: 600_000, hookTimeout: 60_000 });

let dataDir: string;
let start: NpmStart | undefined;

beforeAll(async () => {
  assertBuilt();
  await mkdir("test-data", { recursive: true });
  dataDir = await mkdtemp(path.resolve("test-data", "headless-"));
});

afterAll(async () => {
  if (start) await start.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function runScript(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Only what the script needs (cliEnv): no DATABASE_URL or sealing keys from the developer's shell.
    const child = spawn("bash", ["tests/headless-bootstrap.sh"], { env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

it("bootstraps an organization, a token-made project and key, and an upload with the AWS SDK, without a browser", async () => {
  const firstPort = Number(process.env.KEYGATE_TEST_FIRST_PORT) || undefined;
  start = await npmStart({ cwd: process.cwd(), dataDir: path.join(dataDir, "data"), firstPort });
  const run = await runScript({ KEYGATE_DATA_DIR: start.dataDir, KEYGATE_WEB_URL: start.web });
  expect(run.code, run.output).toBe(0);
  expect(run.output).toContain("projects: first,second");
  expect(run.output).toMatch(/uploaded s3:\/\/headless-second\/hello\/headless\.txt .* and read it back/);
  expect(run.output).toContain("HEADLESS BOOTSTRAP OK");
  expect(run.output).not.toMatch(/kgs_[0-9A-Za-z]{38}|kgt_[0-9A-Za-z]{38}/); // no secret, no token in the output
  console.log(run.output);

  // What the instance recorded: the CLI's and the token's changes, every token call, the S3 requests.
  const db = createDb(appDatabaseUrl(start.dataDir), 1);
  try {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Headless Inc" } });
    const events = await db.event.findMany({ where: { orgId: org.id }, orderBy: { id: "asc" } });
    const changes = events.filter((e) => !e.type.endsWith(".request")).map((e) => `${e.type} ${e.actorName?.startsWith("keygate CLI") ? "cli" : "token"}`);
    expect(changes).toEqual([
      "org.created cli", "member.added cli", "project.created cli", "bucket.created cli", "key.created cli", "api_token.created cli",
      "project.created token", "bucket.created token", "key.created token",
    ]);
    expect(events.filter((e) => e.type === "api_token.request").map((e) => [e.operation, e.status])).toEqual([
      ["CreateProject", 201], ["CreateProjectBucket", 201], ["CreateMasterKey", 201], ["ListProjects", 200],
    ]);
    const s3 = await waitForS3Events(db, org.id);
    expect(s3.map((e) => [e.operation, e.status, e.bucket])).toEqual([["PutObject", 200, "headless-second"], ["GetObject", 200, "headless-second"]]);
    const admin = await db.membership.findFirstOrThrow({ where: { orgId: org.id }, include: { user: true } });
    expect([admin.role, admin.user.email]).toEqual(["ADMIN", "admin@headless.test"]);
    expect(await db.invitation.count()).toBe(0);
  } finally {
    await db.$disconnect();
  }
});

/** The gateway writes S3 request events in batches: wait for both. */
async function waitForS3Events(db: ReturnType<typeof createDb>, orgId: string) {
  for (let i = 0; i < 100; i++) {
    const rows = await db.event.findMany({ where: { orgId, type: "key.request" }, orderBy: { id: "asc" } });
    if (rows.length >= 2) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
  return db.event.findMany({ where: { orgId, type: "key.request" }, orderBy: { id: "asc" } });
}
