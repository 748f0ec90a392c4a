// keygate key revoke: final; the gateway refuses the key on its next request.
import { revokeKey } from "../lib/keys/manage-keys";
import { type Command, CliError, jsonOption, out } from "./command";
import { withDatabase } from "./context";
import { operatorContext } from "./operator";

export const keyRevokeCommand: Command = {
  name: "key revoke",
  usage: "<key id | access key id> [--json]",
  summary: "Revoke a master or sub key (cannot be undone).",
  description: `
Takes the key's id or its access key id. Revoking an already revoked key changes nothing and
succeeds. Region key pairs (USER keys) are reset from the console, not revoked.`,
  options: { json: jsonOption },
  positionals: { min: 1, max: 1 },
  examples: ["keygate key revoke KGABCDEFGHIJKLMNOPQR"],
  run: ({ values, positionals }) => {
    const ref = positionals[0].trim();
    return withDatabase(async ({ db }) => {
      const key = await db.accessKey.findFirst({
        where: { OR: [{ id: ref }, { accessKeyId: ref }] },
        select: { id: true, orgId: true, accessKeyId: true, name: true, revokedAt: true },
      });
      if (!key) throw new CliError(`Key ${ref} not found.`);
      await revokeKey(db, operatorContext(key.orgId), key.id);
      const after = await db.accessKey.findUniqueOrThrow({ where: { id: key.id }, select: { revokedAt: true } });
      const result = { id: key.id, accessKeyId: key.accessKeyId, name: key.name, revokedAt: after.revokedAt?.toISOString() ?? null, alreadyRevoked: key.revokedAt !== null };
      if (values.json) return out.json(result);
      out.line(result.alreadyRevoked
        ? `Key ${key.accessKeyId} ("${key.name}") was already revoked on ${result.revokedAt}.`
        : `Revoked key ${key.accessKeyId} ("${key.name}"). The gateway refuses it from the next request on.`);
    });
  },
};
