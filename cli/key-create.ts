// keygate key create: a master or sub key; the secret is printed once and never again.
import { createMasterKey, createSubKey } from "../lib/keys/create-keys";
import { type Command, CliError, jsonOption, out, requireString, stringValue } from "./command";
import { withDatabase } from "./context";
import { keyOptions, parseExpiry, parseKind, permissionsHelp, subKeyScope } from "./key-options";
import { loadKeyringSource } from "./keyring-source";
import { onBehalfOfMember } from "./operator";

export const keyCreateCommand: Command = {
  name: "key create",
  usage: "--project <id> --name <name> --kind master|sub [options]",
  summary: "Create a master or sub key and print its secret once.",
  description: `
The key belongs to the project's organization and is owned by its first admin (or --owner), whose
role bounds what a sub key may do. The event log records it as created by "keygate CLI".
The secret access key is shown only in this output: store it right away.

${permissionsHelp()}`,
  options: { ...keyOptions, json: jsonOption },
  examples: [
    "keygate key create --project <id> --name ci --kind master",
    "keygate key create --project <id> --name backups --kind sub --permissions read,list --buckets backups --expiry 1y --json",
  ],
  run: async ({ values }) => {
    const projectId = requireString(values, "project");
    const name = requireString(values, "name");
    const kind = parseKind(values);
    const expiry = parseExpiry(stringValue(values, "expiry") ?? "30d");
    return withDatabase(async ({ env, db }) => {
      await loadKeyringSource(env, { create: true });
      const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, orgId: true } });
      if (!project) throw new CliError(`Project ${projectId} not found.`);
      const regionId = stringValue(values, "region") ?? env.regions[0].id;
      const owner = await onBehalfOfMember(db, project.orgId, stringValue(values, "owner"));
      const base = { projectId, name, regionId, ...expiry };
      const issued = kind === "master"
        ? await createMasterKey(db, owner.ctx, base)
        : await createSubKey(db, owner.ctx, { ...base, ...(await subKeyScope(db, values, projectId, regionId)) });
      const row = await db.accessKey.findUniqueOrThrow({ where: { id: issued.id }, select: { expiresAt: true } });
      const result = { ...issued, kind, projectId, projectName: project.name, owner: owner.email, expiresAt: row.expiresAt?.toISOString() ?? null };
      if (values.json) return out.json(result);
      out.line(`Created ${kind} key "${result.name}" in project ${project.name} (region ${result.regionId}), owned by ${owner.email}.`);
      out.line(`  Key id:             ${result.id}`);
      out.line(`  Access key id:      ${result.accessKeyId}`);
      out.line(`  Secret access key:  ${result.secret}`);
      out.line(`  Expires:            ${result.expiresAt ?? "never"}`);
      out.note("The secret is shown only this once: store it now.");
    });
  },
};
