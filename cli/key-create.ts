// keygate key create: a master or sub key; the secret is printed once and never again.
import type { Db } from "../lib/db";
import { createMasterKey, createSubKey } from "../lib/keys/create-keys";
import { type Command, CliError, jsonOption, out, requireString, stringValue, UsageError, type Values } from "./command";
import { withDatabase } from "./context";
import { loadKeyringSource } from "./keyring-source";
import { onBehalfOfMember } from "./operator";

const SUB_ONLY = ["permissions", "buckets", "prefix", "allowed-ips"] as const;

export const keyCreateCommand: Command = {
  name: "key create",
  usage: "--project <id> --name <name> --kind master|sub [options]",
  summary: "Create a master or sub key and print its secret once.",
  description: `
The key belongs to the project's organization and is owned by its first admin (or --owner), whose
role bounds what a sub key may do. The event log records it as created by "keygate CLI".
The secret access key is shown only in this output: store it right away.`,
  options: {
    project: { type: "string", value: "id", description: "Project id (see keygate project list)" },
    name: { type: "string", value: "name", description: "Key name (1 to 64 characters)" },
    kind: { type: "string", value: "master|sub", description: "master: full access to the project; sub: limited" },
    region: { type: "string", value: "id", description: "Region id (default: the first configured region)" },
    expiry: { type: "string", value: "7d|30d|1y|YYYY-MM-DD", description: "When the key expires (default: 30d)" },
    owner: { type: "string", value: "email", description: "Member who owns the key (default: the first admin)" },
    permissions: { type: "string", value: "list", description: "Sub key: comma-separated, e.g. read,list (see the console for all)" },
    buckets: { type: "string", value: "list", description: "Sub key: only these buckets (names or ids); default: all buckets" },
    prefix: { type: "string", value: "prefix", description: "Sub key: only object keys under this prefix" },
    "allowed-ips": { type: "string", value: "cidrs", description: "Sub key: only from these IPs/CIDRs, comma-separated" },
    json: jsonOption,
  },
  examples: [
    "keygate key create --project <id> --name ci --kind master",
    "keygate key create --project <id> --name backups --kind sub --permissions read,list --buckets backups --expiry 1y --json",
  ],
  run: async ({ values }) => {
    const projectId = requireString(values, "project");
    const name = requireString(values, "name");
    const kind = requireString(values, "kind");
    if (kind !== "master" && kind !== "sub") throw new UsageError("--kind must be master or sub.");
    if (kind === "master") {
      const misplaced = SUB_ONLY.filter((o) => values[o] !== undefined);
      if (misplaced.length) throw new UsageError(`--${misplaced[0]} applies to sub keys only; master keys have full access to the project.`);
    }
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

/** "7d" | "30d" | "1y" are the console's presets; anything else is a custom date. */
export function parseExpiry(text: string): { expiry: "7d" | "30d" | "1y" } | { expiry: "custom"; expiresAt: string } {
  const v = text.trim();
  return v === "7d" || v === "30d" || v === "1y" ? { expiry: v } : { expiry: "custom", expiresAt: v };
}

export async function subKeyScope(db: Db, values: Values, projectId: string, regionId: string) {
  const list = (name: string) => (stringValue(values, name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const wanted = list("buckets");
  // Operators know buckets by name; the domain takes ids. Unknown entries pass through unchanged
  // and are refused by the scope check with its usual message.
  const found = wanted.length
    ? await db.bucket.findMany({ where: { projectId, regionId, OR: [{ id: { in: wanted } }, { name: { in: wanted } }] }, select: { id: true, name: true } })
    : [];
  const bucketIds = wanted.map((w) => found.find((b) => b.id === w || b.name === w)?.id ?? w);
  return {
    permissions: list("permissions"),
    bucketScope: wanted.length ? ("selected" as const) : ("all" as const),
    bucketIds,
    prefix: stringValue(values, "prefix"),
    allowedCidrs: list("allowed-ips"),
  };
}
