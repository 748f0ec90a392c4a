// keygate key disable|enable: reversible switch-off; the gateway refuses a disabled key on its
// next request and accepts it again, unchanged, once enabled.
import { setKeyDisabled } from "../lib/keys/disable-key";
import { type Command, CliError, jsonOption, out } from "./command";
import { withDatabase } from "./context";
import { operatorContext } from "./operator";

function keyToggleCommand(disable: boolean): Command {
  const verb = disable ? "disable" : "enable";
  return {
    name: `key ${verb}`,
    usage: "<key id | access key id> [--json]",
    summary: disable ? "Disable a key (reversible; the gateway refuses it)." : "Enable a disabled key again, unchanged.",
    description: `
Takes the key's id or its access key id; works for master, sub and region keys. Asking for the
state the key is already in changes nothing and succeeds. Revoked and expired keys cannot be
${disable ? "disabled" : "enabled"}.`,
    options: { json: jsonOption },
    positionals: { min: 1, max: 1 },
    examples: [`keygate key ${verb} KGABCDEFGHIJKLMNOPQR`],
    run: ({ values, positionals }) => {
      const ref = positionals[0].trim();
      return withDatabase(async ({ db }) => {
        const key = await db.accessKey.findFirst({ where: { OR: [{ id: ref }, { accessKeyId: ref }] }, select: { id: true, orgId: true, accessKeyId: true, name: true } });
        if (!key) throw new CliError(`Key ${ref} not found.`);
        await setKeyDisabled(db, operatorContext(key.orgId), key.id, disable);
        const after = await db.accessKey.findUniqueOrThrow({ where: { id: key.id }, select: { disabledAt: true } });
        const result = { id: key.id, accessKeyId: key.accessKeyId, name: key.name, disabledAt: after.disabledAt?.toISOString() ?? null };
        if (values.json) return out.json(result);
        out.line(disable
          ? `Disabled key ${key.accessKeyId} ("${key.name}"). The gateway refuses it from the next request on.`
          : `Enabled key ${key.accessKeyId} ("${key.name}"). It works again from the next request on.`);
      });
    },
  };
}

export const keyDisableCommand = keyToggleCommand(true);
export const keyEnableCommand = keyToggleCommand(false);
