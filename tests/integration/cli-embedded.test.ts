// The CLI without DATABASE_URL, like `npm start`: the embedded PostgreSQL in the data directory,
// started for the command and stopped after it, or, while `npm start` runs it, used as it is.
// Sealing keys come from <data dir>/sealing-keys.
import { existsSync } from "node:fs";
import { chmod, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../../lib/db";
import { parseSealingKeys, unsealSecret } from "../../lib/keys/sealing";
import { startEmbeddedPostgres, type RunningPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/schema-engine";
import { syncRegions } from "../../scripts/lib/sync-regions";
import { parseJson, runCli, tempDir } from "./cli-harness";

// Each CLI run is a fresh Node process (about a second, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

let dataDir: string;
let server: RunningPostgres | null = null;
let serverStartedAt = 0;
let db: Db | null = null;

/** What `npm start` does to the database before serving: create, migrate (first time), register regions. */
async function startLikeNpmStart(opts = { migrate: false }) {
  // Retried: other test runs on this machine may take the free port between its choice and its use.
  for (let attempt = 1; !server; attempt++) {
    server = await startEmbeddedPostgres({ dataDir, quiet: true }).catch((err) => {
      if (attempt >= 3) throw err ?? new Error("embedded PostgreSQL exited during start-up");
      return null;
    });
  }
  serverStartedAt = Date.now();
  if (opts.migrate) {
    await server.createDatabase("keygate");
    await applyMigrations(server.url("keygate"));
    await syncRegions(server.url("keygate"), [{ id: "local", endpoint: "http://localhost:9000", backend: { type: "fs" } }]);
  }
  db = createDb(server.url("keygate"), 2);
  return db;
}

async function stopServer() {
  await db?.$disconnect();
  await server?.stop();
  db = null;
  server = null;
}

const pidFile = () => path.join(dataDir, "postgres", "postmaster.pid");
const cli = (...args: string[]) => runCli(args, { KEYGATE_DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = await tempDir("keygate-cli-embedded-");
  await chmod(dataDir, 0o755); // PostgreSQL runs as its own user (embedded-postgres as root), and must reach its directory
  await startLikeNpmStart({ migrate: true });
  await stopServer();
}, 180_000);
afterAll(async () => {
  await stopServer();
  await rm(dataDir, { recursive: true, force: true });
});

describe("keygate with the embedded database", () => {
  it("refuses clearly when the data directory has no database yet", async () => {
    const r = await runCli(["org", "list"], { KEYGATE_DATA_DIR: await tempDir() });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("There is no database in")]);
    expect(r.stderr).toContain("npm start");
  });

  it("starts it for the command's duration and stops it afterwards", async () => {
    const created = await cli("org", "create", "--name", "Embedded", "--admin-email", "admin@embedded.test", "--invite", "--json");
    expect(created.code, created.stderr).toBe(0);
    expect(existsSync(pidFile())).toBe(false);
    const doctor = await cli("doctor");
    expect(doctor.stdout).toMatch(/✓ Database: PostgreSQL .*embedded PostgreSQL in .*postgres \(started for this command\)/);
    expect(existsSync(pidFile())).toBe(false);
    expect(parseJson<{ name: string }[]>(await cli("org", "list", "--json")).map((o) => o.name)).toEqual(["Embedded"]);
  });

  it("uses the server `npm start` runs, leaves it running, and re-seals only after a restart", async () => {
    const live = await startLikeNpmStart();
    const doctor = await cli("doctor");
    expect(doctor.stdout).toMatch(/✓ Database: .*\(already running, e\.g\. under npm start\)/);
    const org = await live.organization.findFirstOrThrow();
    const user = await live.user.create({ data: { email: "admin@embedded.test" } });
    await live.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
    const project = await live.project.create({ data: { orgId: org.id, name: "p" } });
    const key = parseJson<{ accessKeyId: string; secret: string }>(await cli("key", "create", "--project", project.id, "--name", "k", "--kind", "master", "--json"));
    expect(await live.accessKey.count()).toBe(1); // the server still answers after the CLI exited
    const file = path.join(dataDir, "sealing-keys"); // created on first use, as npm start does
    expect(parseSealingKeys(await readFile(file, "utf8")).current).toBe(1);

    await new Promise((r) => setTimeout(r, Math.max(0, serverStartedAt + 2500 - Date.now())));
    const added = await cli("sealing", "rotate");
    expect([added.code, added.stdout]).toEqual([0, expect.stringContaining("Restart Keygate")]);
    const early = await cli("sealing", "rotate");
    expect([early.code, early.stderr]).toEqual([1, expect.stringContaining("was started before")]);
    expect((await live.accessKey.findFirstOrThrow()).sealedSecret.startsWith("v1.")).toBe(true);

    await stopServer();
    const restarted = await startLikeNpmStart();
    const resumed = await cli("sealing", "rotate");
    expect([resumed.code, resumed.stdout]).toEqual([0, expect.stringContaining("Done: all 1 stored secret(s) are sealed with version 2")]);
    const row = await restarted.accessKey.findFirstOrThrow();
    expect(unsealSecret(parseSealingKeys(await readFile(file, "utf8")), row.sealedSecret, key.accessKeyId)).toBe(key.secret);
    await stopServer();
  });

  it("rotates in one run when Keygate is not running (the CLI started the database itself)", async () => {
    const r = await cli("sealing", "rotate");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Added sealing key version 3");
    expect(r.stdout).toContain("Done: all 1 stored secret(s) are sealed with version 3");
    expect(existsSync(pidFile())).toBe(false);
  });
});
