// keygate key import: an existing access key id + secret (MinIO, Garage, Ceph, AWS-style) as a
// master or sub key. The secret is never a command-line argument (shell history, `ps`): it is
// read from stdin with --secret-stdin, or from KEYGATE_IMPORT_SECRET.
import { text } from "node:stream/consumers";
import { importKey } from "../lib/keys/import-key";
import { type Command, CliError, jsonOption, out, requireString, stringValue, UsageError } from "./command";
import { withDatabase } from "./context";
import { keyOptions, parseExpiry, parseKind, permissionsHelp, subKeyScope } from "./key-options";
import { loadKeyringSource } from "./keyring-source";
import { onBehalfOfMember } from "./operator";

async function readSecret(fromStdin: boolean): Promise<string> {
  const secret = fromStdin ? await text(process.stdin) : process.env.KEYGATE_IMPORT_SECRET;
  if (!secret?.trim()) throw new UsageError("Give the secret on stdin with --secret-stdin, or in KEYGATE_IMPORT_SECRET (never as an argument).");
  return secret.trim();
}

export const keyImportCommand: Command = {
  name: "key import",
  usage: "--project <id> --name <name> --kind master|sub --access-key-id <id> --secret-stdin [options]",
  summary: "Import an existing access key id and secret as a master or sub key.",
  description: `
For migrations from MinIO, Garage, Ceph or AWS-style keys: applications keep their credentials.
The id must be 16 to 128 characters of A-Z and 0-9, unique on this instance; the secret at least
30 characters, read from stdin (--secret-stdin) or KEYGATE_IMPORT_SECRET. It is sealed like every
secret and never printed. Imported secrets have no Keygate checksum, so leaked-key reports cannot
recognize them: rotate the key once the migration is done.

${permissionsHelp()}`,
  options: {
    ...keyOptions,
    "access-key-id": { type: "string", value: "id", description: "The existing access key id" },
    "secret-stdin": { type: "boolean", description: "Read the secret access key from stdin" },
    json: jsonOption,
  },
  examples: [
    "printf %s \"$MINIO_SECRET\" | keygate key import --project <id> --name app --kind master --access-key-id AKIAIOSFODNN7EXAMPLE --secret-stdin",
    "KEYGATE_IMPORT_SECRET=... keygate key import --project <id> --name ro --kind sub --permissions read,list --access-key-id GK31C2F218A2EB4D7B --json",
  ],
  run: async ({ values }) => {
    const projectId = requireString(values, "project");
    const name = requireString(values, "name");
    const accessKeyId = requireString(values, "access-key-id");
    const kind = parseKind(values);
    const secret = await readSecret(values["secret-stdin"] === true);
    const expiry = parseExpiry(stringValue(values, "expiry") ?? "30d");
    return withDatabase(async ({ env, db }) => {
      await loadKeyringSource(env, { create: true });
      const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, orgId: true } });
      if (!project) throw new CliError(`Project ${projectId} not found.`);
      const regionId = stringValue(values, "region") ?? env.regions[0].id;
      const owner = await onBehalfOfMember(db, project.orgId, stringValue(values, "owner"));
      const scope = kind === "sub" ? await subKeyScope(db, values, projectId, regionId) : {};
      const issued = await importKey(db, owner.ctx, { projectId, name, regionId, kind: kind === "master" ? "MASTER" : "SUB", accessKeyId, secret, ...expiry, ...scope });
      const row = await db.accessKey.findUniqueOrThrow({ where: { id: issued.id }, select: { expiresAt: true } });
      const result = { id: issued.id, accessKeyId: issued.accessKeyId, name: issued.name, kind, regionId, projectId, projectName: project.name, owner: owner.email, imported: true, expiresAt: row.expiresAt?.toISOString() ?? null };
      if (values.json) return out.json(result);
      out.line(`Imported ${kind} key "${result.name}" (${result.accessKeyId}) into project ${project.name} (region ${regionId}), owned by ${owner.email}.`);
      out.line(`  Key id:   ${result.id}`);
      out.line(`  Expires:  ${result.expiresAt ?? "never"}`);
    });
  },
};
