// keygate sealing rotate: a new sealing key version, then every stored secret re-sealed with it.
import type { Db } from "../lib/db";
import { generateSealingKey, formatSealingKeys, type SealingKeyring } from "../lib/keys/sealing";
import { type Command, CliError, intValue, jsonOption, out } from "./command";
import { type DatabaseHandle, withDatabase } from "./context";
import { describeKeyring, type KeyringSource, loadKeyringSource, writeKeyringFile } from "./keyring-source";
import { countPending, countSecrets, resealPending, withSealingLock } from "./sealing-store";

export const sealingRotateCommand: Command = {
  name: "sealing rotate",
  usage: "[--batch-size <n>] [--max-batches <n>] [--json]",
  summary: "Add a new sealing key version and re-seal every stored secret with it (resumable).",
  description: `
Each run does the next step of the rotation:

1. When every secret is sealed with the current version, a new version is added:
   - keyring file (<data dir>/sealing-keys): the file is rewritten atomically (0600).
   - KEYGATE_SEALING_KEYS: the new value is printed on stdout; nothing is changed or re-sealed.
   Running Keygate processes only read the keys at start. Unless this command started the
   embedded database itself (Keygate is not running), it stops here: set the new value (env
   mode), restart the web console and every gateway, then run this command again.
2. Otherwise the secrets still sealed with older versions (current secrets, and previous ones
   kept for a rotation overlap window) are re-sealed with the current one,
   in batches (one atomic UPDATE each). Interrupted (Ctrl-C, crash, --max-batches), a rerun
   continues with what is left. The plain secrets and access key ids do not change: every key
   keeps working throughout.

Older versions stay in the keyring so nothing breaks; remove them with \`keygate sealing prune\`
once \`keygate sealing status\` shows no secret uses them. Exit 1 if a secret cannot be opened.`,
  options: {
    "batch-size": { type: "string", value: "n", description: "Secrets per batch (default: 100)" },
    "max-batches": { type: "string", value: "n", description: "Stop after this many batches; rerun to continue" },
    json: jsonOption,
  },
  examples: ["keygate sealing rotate", "keygate sealing rotate --batch-size 500"],
  run: ({ values }) => {
    const batchSize = intValue(values, "batch-size", { min: 1, max: 10_000, fallback: 100 })!;
    const maxBatches = intValue(values, "max-batches", { min: 1, max: 1_000_000_000 });
    return withDatabase(({ env, db, database }) =>
      withSealingLock(database.url, async () => {
        let source = await loadKeyringSource(env, { create: true });
        const total = await countSecrets(db);
        let pending = await countPending(db, source.keyring);
        let addedVersion: number | null = null;
        if (pending === 0) {
          const next = withNewVersion(source.keyring);
          addedVersion = next.current;
          if (source.kind === "env") return reportEnvValue(values.json === true, next, total);
          await writeKeyringFile(source.path, next);
          if (total === 0 || database.mode !== "started") return reportFileVersion(values.json === true, source.path, next, total, database);
          source = await loadKeyringSource(env, { create: false });
          pending = await countPending(db, source.keyring);
        } else {
          refuseIfServerPredatesKeyring(source, database);
        }
        return reseal(db, source, { pending, total, addedVersion, batchSize, maxBatches, json: values.json === true });
      }),
    );
  },
};

function withNewVersion(keyring: SealingKeyring): SealingKeyring {
  const version = Math.max(...keyring.keys.keys()) + 1;
  return { current: version, keys: new Map([...keyring.keys, [version, generateSealingKey()]]) };
}

function reportEnvValue(json: boolean, next: SealingKeyring, total: number): number {
  const value = formatSealingKeys(next);
  if (json) {
    out.json({ step: "version-added", keyringSource: "env", addedVersion: next.current, sealingKeys: value, restartRequired: true, total, resealed: 0, remaining: total, done: false });
    return 0;
  }
  out.note(`Generated sealing key version ${next.current}. Nothing was changed or re-sealed yet.`);
  out.note("Set this KEYGATE_SEALING_KEYS everywhere Keygate runs (web console, every gateway, this CLI), restart them,");
  out.note(total > 0 ? `then run \`keygate sealing rotate\` again to re-seal the ${total} stored secret(s):` : "(there are no stored secrets to re-seal):");
  out.line(`KEYGATE_SEALING_KEYS=${value}`);
  return 0;
}

function reportFileVersion(json: boolean, file: string, next: SealingKeyring, total: number, database: DatabaseHandle): number {
  const restart = database.mode !== "started";
  if (json) {
    out.json({ step: "version-added", keyringSource: "file", keyringFile: file, addedVersion: next.current, restartRequired: restart, total, resealed: 0, remaining: total, done: total === 0 });
    return 0;
  }
  out.line(`Added sealing key version ${next.current} to ${file} (${describeKeyring(next)}).`);
  if (total === 0) out.line(restart ? "No stored secrets to re-seal. Restart Keygate so new secrets are sealed with the new version." : "No stored secrets to re-seal.");
  else out.line(`Restart Keygate (npm start, or the web console and every gateway) so it loads version ${next.current}, then run \`keygate sealing rotate\` again to re-seal the ${total} stored secret(s).`);
  return 0;
}

/** A Keygate started before the keyring file changed cannot open secrets sealed with the new key. */
function refuseIfServerPredatesKeyring(source: KeyringSource, database: DatabaseHandle): void {
  if (source.kind !== "file" || database.mode !== "running" || !database.serverStartedAt) return;
  if (database.serverStartedAt.getTime() + 1000 < source.modifiedAt.getTime()) {
    throw new CliError(
      `Keygate (npm start) was started before ${source.path} last changed, so it does not know sealing key version ${source.keyring.current}. ` +
        "Restart it, then run `keygate sealing rotate` again.",
    );
  }
}

type ResealArgs = { pending: number; total: number; addedVersion: number | null; batchSize: number; maxBatches?: number; json: boolean };

async function reseal(db: Db, source: KeyringSource, a: ResealArgs): Promise<number> {
  const version = source.keyring.current;
  out.note(`${a.addedVersion ? `Added sealing key version ${version}. ` : ""}Re-sealing ${a.pending} of ${a.total} stored secret(s) with version ${version}, ${a.batchSize} per batch…`);
  let lastNote = 0;
  const report = await resealPending(db, source.keyring, {
    batchSize: a.batchSize,
    maxBatches: a.maxBatches,
    // Every batch at first, then about once a second: progress without flooding the terminal.
    onBatch: (r) => {
      if (r.batches > 10 && Date.now() - lastNote < 1000) return;
      lastNote = Date.now();
      out.note(`  batch ${r.batches}: ${r.resealed}/${a.pending} re-sealed${r.failures.length ? `, ${r.failures.length} failed` : ""}`);
    },
  });
  const remaining = await countPending(db, source.keyring);
  const done = remaining === 0;
  if (a.json) {
    out.json({ step: "resealed", keyringSource: source.kind, currentVersion: version, addedVersion: a.addedVersion, restartRequired: false, total: a.total, resealed: report.resealed, remaining, failures: report.failures, stoppedEarly: report.stoppedEarly, done });
  } else if (done) {
    out.line(`Done: all ${a.total} stored secret(s) are sealed with version ${version} (${report.resealed} re-sealed in this run).`);
    if (source.keyring.keys.size > 1) out.line("Older versions stay in the keyring; remove them with `keygate sealing prune`.");
  } else if (report.stoppedEarly && report.failures.length === 0) {
    out.line(`Stopped after ${report.batches} batch(es) (--max-batches): ${report.resealed} re-sealed, ${remaining} still to do. Run \`keygate sealing rotate\` again to continue.`);
  } else {
    for (const f of report.failures) out.note(`  ${f.accessKeyId}: ${f.reason}`);
    const why = report.failures.length
      ? `${report.failures.length} secret(s) cannot be opened with the configured keys and were left unchanged`
      : "some secrets changed while re-sealing (a process still on the old keyring?)";
    out.note(`keygate: ${remaining} secret(s) are not sealed with version ${version}: ${why}. Run \`keygate sealing rotate\` again, or \`keygate doctor\`.`);
  }
  return done || (report.stoppedEarly && report.failures.length === 0) ? 0 : 1;
}
