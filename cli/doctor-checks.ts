// The individual checks of `keygate doctor`. Each returns a line's worth of facts and never
// throws: a failure is a ✗ with the reason, so one broken part never hides the others.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../lib/db";
import { outboxPath } from "../lib/email/transport";
import type { Env } from "../lib/env";
import { needsReseal, SealingError, type SealingKeyring, unsealSecret } from "../lib/keys/sealing";
import { getMigrationStatus } from "./migrations";

export type Check = { name: string; ok: boolean; detail: string };

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

export async function checkMigrations(db: Db): Promise<Check> {
  const name = "Migrations";
  try {
    const s = await getMigrationStatus(db);
    const problems = [
      s.failed.length ? `failed: ${s.failed.join(", ")}` : "",
      s.pending.length ? `${s.pending.length} pending: ${s.pending.join(", ")} (run npm run db:migrate)` : "",
      s.unknown.length ? `applied but unknown to this version: ${s.unknown.join(", ")} (is the code older than the database?)` : "",
    ].filter(Boolean);
    if (problems.length) return { name, ok: false, detail: problems.join("; ") };
    return { name, ok: true, detail: `all ${s.known.length} applied` };
  } catch (err) {
    return { name, ok: false, detail: reason(err) };
  }
}

type Region = Env["regions"][number];

export async function checkRegion(region: Region, db: Db | null): Promise<Check> {
  const name = `Region ${region.id}`;
  try {
    const detail = region.backend.type === "fs" ? await probeFs(region.backend.path!) : await probeS3(region.backend);
    if (db && !(await db.region.findUnique({ where: { id: region.id }, select: { id: true } }))) {
      return { name, ok: false, detail: `${detail}, but not in the database yet (npm start registers configured regions)` };
    }
    return { name, ok: true, detail };
  } catch (err) {
    return { name, ok: false, detail: `${region.backend.type} storage: ${reason(err)}` };
  }
}

async function probeFs(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const probe = path.join(dir, `.keygate-doctor-${randomBytes(6).toString("hex")}`);
  await writeFile(probe, "probe\n", { flag: "wx" });
  await unlink(probe);
  return `fs storage ${dir} is writable`;
}

async function probeS3(b: Extract<Region["backend"], { type: "s3" }>): Promise<string> {
  const { createS3Backend } = await import("../lib/storage/s3-backend"); // the AWS SDK loads slowly; only s3 regions need it
  const backend = createS3Backend({ endpoint: b.endpoint, region: b.region, accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey, forcePathStyle: b.forcePathStyle });
  // A HEAD on a random bucket proves the endpoint answers and accepts the credentials without
  // touching anyone's data (404 is the expected answer).
  const probe = backend.bucketExists(`keygate-doctor-${randomBytes(6).toString("hex")}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("no answer within 15 s")), 15_000); });
  try {
    await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return `s3 storage ${b.endpoint} answers and accepts the credentials`;
}

export async function checkEmail(env: Env): Promise<Check> {
  const name = "Email";
  if (env.RESEND_API_KEY?.trim()) return { name, ok: true, detail: `Resend (RESEND_API_KEY is set), from ${env.EMAIL_FROM}` };
  const file = outboxPath(env.dataDir);
  try {
    await mkdir(env.dataDir, { recursive: true });
    await access(env.dataDir, constants.W_OK);
    await access(file, constants.W_OK).catch((err: NodeJS.ErrnoException) => { if (err.code !== "ENOENT") throw err; });
    return { name, ok: true, detail: `local outbox ${file} is writable (nothing is delivered: set RESEND_API_KEY in production)` };
  } catch (err) {
    return { name, ok: false, detail: `local outbox ${file}: ${reason(err)}` };
  }
}

/** Opens every stored secret: the only proof that the configured keys match the database. */
export async function checkSecrets(db: Db, keyring: SealingKeyring): Promise<Check> {
  const name = "Stored secrets";
  let total = 0, older = 0, lastId = "";
  const failures: string[] = [];
  try {
    for (;;) {
      const rows = await db.accessKey.findMany({
        where: { id: { gt: lastId } }, orderBy: { id: "asc" }, take: 500, select: { id: true, accessKeyId: true, sealedSecret: true, previousSealedSecret: true },
      });
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      for (const row of rows) {
        // The previous secret of a rotation overlap window is a stored secret too.
        for (const [sealed, label] of [[row.sealedSecret, ""], [row.previousSealedSecret, " previous secret"]] as const) {
          if (sealed === null) continue;
          total += 1;
          try {
            unsealSecret(keyring, sealed, row.accessKeyId);
            if (needsReseal(keyring, sealed)) older += 1;
          } catch (err) {
            if (!(err instanceof SealingError)) throw err;
            failures.push(`${row.accessKeyId}${label} (${err.reason})`);
          }
        }
      }
    }
  } catch (err) {
    return { name, ok: false, detail: reason(err) };
  }
  if (failures.length) {
    const shown = failures.slice(0, 5).join(", ") + (failures.length > 5 ? ", …" : "");
    return { name, ok: false, detail: `${failures.length} of ${total} cannot be opened with the configured sealing keys: ${shown}` };
  }
  const pending = older ? `; ${older} sealed with an older version (run keygate sealing rotate)` : "";
  return { name, ok: true, detail: `all ${total} open with the configured sealing keys${pending}` };
}
