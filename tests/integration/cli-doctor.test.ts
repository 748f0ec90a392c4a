// keygate doctor (and the failure paths it shares with sealing rotate), against a database of
// its own: doctor opens every stored secret in the database.
import { readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createMasterKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createIsolatedDatabase, parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";

const MIGRATION_COUNT = readdirSync("prisma/migrations", { withFileTypes: true }).filter((d) => d.isDirectory()).length;

// Each CLI run is a fresh Node process (about a second, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let admin: OrgContext;
let projectId: string;
const keys = randomKeyring(1);
let env: Record<string, string>;

beforeAll(async () => {
  iso = await createIsolatedDatabase();
  const user = await iso.db.user.create({ data: { email: "admin@doctor.test", name: "Admin" } });
  const org = await iso.db.organization.create({ data: { name: "Doctor" } });
  await iso.db.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
  projectId = (await iso.db.project.create({ data: { orgId: org.id, name: "p" } })).id;
  admin = { actor: { userId: user.id, name: "Admin", email: user.email }, orgId: org.id, role: "ADMIN" };
  setKeyring(parseSealingKeys(keys));
  for (const name of ["a", "b"]) await createMasterKey(iso.db, admin, { projectId, name, regionId: "local" });
  env = { DATABASE_URL: iso.url, KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});
afterAll(async () => {
  await iso?.drop();
});

const lines = (stdout: string) => stdout.split("\n").filter((l) => /^[✓✗] /.test(l));

describe("keygate doctor", () => {
  it("prints a ✓ line per check and exits 0 when everything is in order", async () => {
    const r = await runCli(["doctor"], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      expect.stringMatching(/^✓ Configuration: environment is valid/),
      expect.stringMatching(/^✓ Database: PostgreSQL \d+.*DATABASE_URL/),
      `✓ Migrations: all ${MIGRATION_COUNT} applied`,
      `✓ Region local: fs storage ${path.join(env.KEYGATE_DATA_DIR, "objects")} is writable`,
      expect.stringMatching(/^✓ Email: local outbox .*outbox\.jsonl is writable/),
      "✓ Sealing keys: KEYGATE_SEALING_KEYS (version 1; current 1)",
      "✓ Stored secrets: all 2 open with the configured sealing keys",
    ]);
    expect(r.stdout).toContain("All 7 checks passed.");
    const json = parseJson<{ ok: boolean; checks: { name: string; ok: boolean }[] }>(await runCli(["doctor", "--json"], { ...env, RESEND_API_KEY: "re_test_key" }));
    expect(json.ok).toBe(true);
    expect(json.checks.find((c) => c.name === "Email")).toMatchObject({ ok: true, detail: expect.stringContaining("Resend") });
  });

  it("keeps checking after a failure: unreachable database, missing keyring file", async () => {
    const r = await runCli(["doctor"], { DATABASE_URL: "postgresql://postgres:pw@127.0.0.1:9/none", KEYGATE_DATA_DIR: await tempDir() });
    expect(r.code).toBe(1);
    const got = lines(r.stdout);
    expect(got[1]).toMatch(/^✗ Database: Cannot use the database, DATABASE_URL \(127\.0\.0\.1:9\/none\)/);
    expect(got).toContainEqual(expect.stringMatching(/^✓ Region local/));
    expect(got).toContainEqual(expect.stringMatching(/^✓ Email/));
    expect(got).toContainEqual(expect.stringMatching(/^✗ Sealing keys: No sealing keys: KEYGATE_SEALING_KEYS is not set and .*sealing-keys does not exist/));
    expect(r.stdout).toContain("2 of 5 checks failed.");
    const bad = await runCli(["doctor"], { ...env, KEYGATE_REGIONS: "[]" });
    expect([bad.code, lines(bad.stdout)]).toEqual([1, [expect.stringMatching(/^✗ Configuration: Invalid configuration: KEYGATE_REGIONS/)]]);
  });

  it("finds secrets the keys cannot open; sealing rotate re-seals the rest and exits 1 naming them", async () => {
    setKeyring(parseSealingKeys(randomKeyring(1))); // another installation's key
    const foreign = await createMasterKey(iso.db, admin, { projectId, name: "foreign", regionId: "local" });
    const doctor = await runCli(["doctor"], env);
    expect(doctor.code).toBe(1);
    expect(lines(doctor.stdout)).toContainEqual(`✗ Stored secrets: 1 of 3 cannot be opened with the configured sealing keys: ${foreign.accessKeyId} (auth_failed)`);

    const k12 = `${keys},${randomKeyring(2)}`;
    const rotate = await runCli(["sealing", "rotate", "--json"], { ...env, KEYGATE_SEALING_KEYS: k12 });
    expect(rotate.code).toBe(1);
    expect(parseJson(rotate)).toMatchObject({ resealed: 2, remaining: 1, done: false, failures: [{ accessKeyId: foreign.accessKeyId }] });
    const text = await runCli(["sealing", "rotate"], { ...env, KEYGATE_SEALING_KEYS: k12 });
    expect([text.code, text.stderr]).toEqual([1, expect.stringContaining("1 secret(s) cannot be opened with the configured keys and were left unchanged")]);
    await iso.db.accessKey.delete({ where: { id: foreign.id } });
  });

  it("reports pending migrations, broken storage and unregistered regions; other commands refuse an old schema", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "blocker"), "a file where a directory should be");
    const regions = [
      { id: "local", backend: { type: "fs", path: path.join(dir, "blocker", "objects") } },
      { id: "eu", backend: { type: "fs", path: path.join(dir, "eu") } },
    ];
    // Forget the newest migration, so exactly one is pending.
    const migration = await iso.db.$queryRaw<{ migration_name: string }[]>`SELECT max(migration_name) AS migration_name FROM "_prisma_migrations"`;
    await iso.db.$executeRaw`CREATE TABLE "migrations_backup" AS SELECT * FROM "_prisma_migrations"`;
    await iso.db.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${migration[0].migration_name}`;
    try {
      const r = await runCli(["doctor"], { ...env, KEYGATE_REGIONS: JSON.stringify(regions) });
      expect(r.code).toBe(1);
      const got = lines(r.stdout);
      expect(got).toContainEqual(`✗ Migrations: 1 pending: ${migration[0].migration_name} (run npm run db:migrate)`);
      expect(got).toContainEqual(expect.stringMatching(/^✗ Region local: fs storage: ENOTDIR/));
      expect(got).toContainEqual(`✗ Region eu: fs storage ${path.join(dir, "eu")} is writable, but not in the database yet (npm start registers configured regions)`);
      const refused = await runCli(["org", "list"], env);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("The database schema is not up to date: 1 migration(s) pending")]);
    } finally {
      await iso.db.$executeRaw`INSERT INTO "_prisma_migrations" SELECT * FROM "migrations_backup" WHERE migration_name = ${migration[0].migration_name}`;
      await iso.db.$executeRaw`DROP TABLE "migrations_backup"`;
    }
  });
});
