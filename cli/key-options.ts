// What `key create` and `key import` share: the option table, the kind check, the expiry and the
// sub key's scope (permissions, buckets, prefix, IPs), so the two commands cannot drift apart.
import type { Db } from "../lib/db";
import { PERMISSION_GROUPS, PERMISSION_PRESET_OPTIONS } from "../lib/keys/permission-options";
import { isKeyPermission, PERMISSION_INFO } from "../lib/keys/permissions";
import { type Command, stringValue, UsageError, type Values } from "./command";

const SUB_ONLY = ["permissions", "buckets", "prefix", "allowed-ips"] as const;

export const keyOptions = {
  project: { type: "string", value: "id", description: "Project id (see keygate project list)" },
  name: { type: "string", value: "name", description: "Key name (1 to 64 characters)" },
  kind: { type: "string", value: "master|sub", description: "master: full access to the project; sub: limited" },
  region: { type: "string", value: "id", description: "Region id (default: the first configured region)" },
  expiry: { type: "string", value: "7d|30d|1y|YYYY-MM-DD", description: "When the key expires (default: 30d)" },
  owner: { type: "string", value: "email", description: "Member who owns the key (default: the first admin)" },
  permissions: { type: "string", value: "list", description: "Sub key: comma-separated, e.g. read,list (all of them below)" },
  buckets: { type: "string", value: "list", description: "Sub key: only these buckets (names or ids); default: all buckets" },
  prefix: { type: "string", value: "prefix", description: "Sub key: only object keys under this prefix" },
  "allowed-ips": { type: "string", value: "cidrs", description: "Sub key: only from these IPs/CIDRs, comma-separated" },
} satisfies Command["options"];

/** The help paragraph listing every permission, each granular one indented under its basic one. */
export function permissionsHelp(): string {
  const width = Math.max(...PERMISSION_GROUPS.flatMap((g) => [g.basic, ...g.granular]).map((o) => o.value.length)) + 4;
  const lines = ["Permissions (--permissions, comma-separated; an indented one needs the one above it):"];
  for (const { basic, granular } of PERMISSION_GROUPS) {
    lines.push(`  ${basic.value.padEnd(width)}${basic.description}`);
    for (const g of granular) lines.push(`    ${g.value.padEnd(width - 2)}${g.description}`);
  }
  lines.push(`Presets as in the console: ${PERMISSION_PRESET_OPTIONS.map((p) => `${p.label} = ${p.permissions.join(",")}`).join("; ")}.`);
  return lines.join("\n");
}

/** --kind master|sub; master keys take none of the sub key options. */
export function parseKind(values: Values): "master" | "sub" {
  const kind = stringValue(values, "kind")?.trim();
  if (!kind) throw new UsageError("--kind is required.");
  if (kind !== "master" && kind !== "sub") throw new UsageError("--kind must be master or sub.");
  if (kind === "master") {
    const misplaced = SUB_ONLY.filter((o) => values[o] !== undefined);
    if (misplaced.length) throw new UsageError(`--${misplaced[0]} applies to sub keys only; master keys have full access to the project.`);
  }
  return kind;
}

/** "7d" | "30d" | "1y" are the console's presets; anything else is a custom date. */
export function parseExpiry(text: string): { expiry: "7d" | "30d" | "1y" } | { expiry: "custom"; expiresAt: string } {
  const v = text.trim();
  return v === "7d" || v === "30d" || v === "1y" ? { expiry: v } : { expiry: "custom", expiresAt: v };
}

const list = (values: Values, name: string) => (stringValue(values, name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/**
 * A granular permission without its basic one, named as the operator typed them. The domain
 * refuses it too (with labels, as the console shows them); here the message names the flag values.
 */
function checkBasicPermissions(perms: string[]) {
  for (const p of perms) {
    const requires = isKeyPermission(p) ? PERMISSION_INFO[p].requires : undefined;
    if (requires && !perms.includes(requires)) throw new UsageError(`--permissions: ${p} needs its basic permission ${requires}; add ${requires} to the list.`);
  }
}

export async function subKeyScope(db: Db, values: Values, projectId: string, regionId: string) {
  const permissions = list(values, "permissions");
  checkBasicPermissions(permissions);
  const wanted = list(values, "buckets");
  // Operators know buckets by name; the domain takes ids. Unknown entries pass through unchanged
  // and are refused by the scope check with its usual message.
  const found = wanted.length
    ? await db.bucket.findMany({ where: { projectId, regionId, OR: [{ id: { in: wanted } }, { name: { in: wanted } }] }, select: { id: true, name: true } })
    : [];
  const bucketIds = wanted.map((w) => found.find((b) => b.id === w || b.name === w)?.id ?? w);
  return {
    permissions,
    bucketScope: wanted.length ? ("selected" as const) : ("all" as const),
    bucketIds,
    prefix: stringValue(values, "prefix"),
    allowedCidrs: list(values, "allowed-ips"),
  };
}
