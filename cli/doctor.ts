// keygate doctor: configuration, database, migrations, storage, email and sealing keys, one ✓/✗
// line each. Read-only apart from a probe file in each fs region; exit 1 when anything fails.
import type { Db } from "../lib/db";
import type { Env } from "../lib/env";
import type { SealingKeyring } from "../lib/keys/sealing";
import { type Command, jsonOption, out } from "./command";
import { connect, loadCliEnv, openDatabase, runCleanups } from "./context";
import { type Check, checkEmail, checkMigrations, checkRegion, checkSecrets } from "./doctor-checks";
import { describeKeyring, loadKeyringSource } from "./keyring-source";

export const doctorCommand: Command = {
  name: "doctor",
  usage: "[--json]",
  summary: "Check configuration, database, migrations, storage backends, email and sealing keys.",
  description: `
Checks, in order: the environment parses; the database answers (DATABASE_URL, or the embedded
PostgreSQL, started for the check when Keygate is not running); every migration in
prisma/migrations is applied; each region's storage is writable (fs) or answers (s3); email can
go out (Resend configured, or the local outbox is writable); the sealing keys load and open
every stored secret. Prints one ✓/✗ line per check; exit 1 if any check fails.`,
  options: { json: jsonOption },
  run: async ({ values }) => {
    const json = values.json === true;
    const checks: Check[] = [];
    const report = (c: Check) => {
      checks.push(c);
      if (!json) out.line(`${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
    };
    try {
      await runChecks(report);
    } finally {
      await runCleanups();
    }
    const failed = checks.filter((c) => !c.ok).length;
    if (json) out.json({ ok: failed === 0, checks });
    else out.line(failed ? `\n${failed} of ${checks.length} checks failed.` : `\nAll ${checks.length} checks passed.`);
    return failed ? 1 : 0;
  },
};

async function runChecks(report: (c: Check) => void): Promise<void> {
  let env: Env;
  try {
    env = loadCliEnv();
    report({ name: "Configuration", ok: true, detail: `environment is valid (data dir ${env.dataDir}, regions ${env.regions.map((r) => r.id).join(", ")})` });
  } catch (err) {
    report({ name: "Configuration", ok: false, detail: (err as Error).message.replace(/\n\s*/g, " ") });
    return;
  }
  const db = await checkDatabase(env, report);
  if (db) report(await checkMigrations(db));
  for (const region of env.regions) report(await checkRegion(region, db));
  report(await checkEmail(env));
  let keyring: SealingKeyring | null = null;
  try {
    const source = await loadKeyringSource(env, { create: false });
    keyring = source.keyring;
    report({ name: "Sealing keys", ok: true, detail: `${source.label} (${describeKeyring(keyring)})` });
  } catch (err) {
    report({ name: "Sealing keys", ok: false, detail: (err as Error).message });
  }
  if (db && keyring) report(await checkSecrets(db, keyring));
}

async function checkDatabase(env: Env, report: (c: Check) => void): Promise<Db | null> {
  try {
    const database = await openDatabase(env);
    const db = await connect(database);
    const [{ version }] = await db.$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
    report({ name: "Database", ok: true, detail: `PostgreSQL ${version}, ${database.label}` });
    return db;
  } catch (err) {
    report({ name: "Database", ok: false, detail: (err as Error).message });
    return null;
  }
}
