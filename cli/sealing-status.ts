// keygate sealing status | prune: which key versions seal the stored secrets; drop unused ones.
import { formatSealingKeys, type SealingKeyring } from "../lib/keys/sealing";
import { type Command, CliError, jsonOption, out } from "./command";
import { withDatabase } from "./context";
import { describeKeyring, loadKeyringSource, writeKeyringFile } from "./keyring-source";
import { countByVersion, withSealingLock } from "./sealing-store";

export const sealingStatusCommand: Command = {
  name: "sealing status",
  usage: "[--json]",
  summary: "Show the sealing key versions and how many stored secrets each one seals.",
  options: { json: jsonOption },
  run: ({ values }) =>
    withDatabase(async ({ env, db }) => {
      const source = await loadKeyringSource(env, { create: false });
      const counts = await countByVersion(db);
      const current = `v${source.keyring.current}`;
      const pending = [...counts].filter(([v]) => v !== current).reduce((n, [, c]) => n + c, 0);
      if (values.json) {
        return out.json({
          keyringSource: source.kind, keyringFile: source.kind === "file" ? source.path : null,
          versions: [...source.keyring.keys.keys()].sort((a, b) => a - b), currentVersion: source.keyring.current,
          secretsByVersion: Object.fromEntries(counts), pending,
        });
      }
      out.line(`Sealing keys: ${source.label} (${describeKeyring(source.keyring)})`);
      out.line(`Stored secrets: ${[...counts.values()].reduce((a, b) => a + b, 0)}`);
      for (const [v, n] of counts) out.line(`  ${v}: ${n}${v === current ? " (current)" : source.keyring.keys.has(Number(v.slice(1))) ? " (re-seal pending)" : " (KEY NOT CONFIGURED)"}`);
      if (pending) out.line(`Run \`keygate sealing rotate\` to re-seal the ${pending} secret(s) under older versions.`);
    }),
};

export const sealingPruneCommand: Command = {
  name: "sealing prune",
  usage: "[--json]",
  summary: "Remove sealing key versions that no stored secret uses any more.",
  description: `
Refused while any secret is still sealed with an older version (finish \`keygate sealing rotate\`
first). Keyring file: rewritten atomically. KEYGATE_SEALING_KEYS: the pruned value is printed;
set it everywhere Keygate runs. Run this only once every Keygate process was restarted with the
current keyring, so none of them still seals new secrets with an old version.`,
  options: { json: jsonOption },
  run: ({ values }) =>
    withDatabase(({ env, db, database }) =>
      withSealingLock(database.url, async () => {
        const source = await loadKeyringSource(env, { create: false });
        const counts = await countByVersion(db);
        const current = source.keyring.current;
        const inUse = [...counts].filter(([v]) => v !== `v${current}`);
        if (inUse.length) {
          throw new CliError(`Secrets are still sealed with ${inUse.map(([v, n]) => `${v} (${n})`).join(", ")}: run \`keygate sealing rotate\` first.`);
        }
        const removed = [...source.keyring.keys.keys()].filter((v) => v !== current).sort((a, b) => a - b);
        const pruned: SealingKeyring = { current, keys: new Map([[current, source.keyring.keys.get(current)!]]) };
        if (removed.length && source.kind === "file") await writeKeyringFile(source.path, pruned);
        if (values.json) {
          return out.json({ keyringSource: source.kind, removedVersions: removed, currentVersion: current, sealingKeys: source.kind === "env" && removed.length ? formatSealingKeys(pruned) : null });
        }
        if (!removed.length) return out.line(`Nothing to prune: the keyring only holds version ${current}.`);
        if (source.kind === "file") return out.line(`Removed version(s) ${removed.join(", ")} from ${source.path}; version ${current} remains.`);
        out.note(`No secret uses version(s) ${removed.join(", ")}. Set this KEYGATE_SEALING_KEYS everywhere Keygate runs:`);
        out.line(`KEYGATE_SEALING_KEYS=${formatSealingKeys(pruned)}`);
      }),
    ),
};
