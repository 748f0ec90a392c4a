// keygate org policy get | set: the organization's key policy, changed through the same lib
// function as the console and the API (same validation, an org.key_policy_changed event).
import { ZodError } from "zod";
import type { Db } from "../lib/db";
import { AppError } from "../lib/errors";
import { getKeyPolicy, type KeyPolicy, POLICY_LABELS, updateKeyPolicy } from "../lib/policies/key-policy";
import { type Command, CliError, jsonOption, out, requireString, stringValue, UsageError, type Values } from "./command";
import { withDatabase } from "./context";
import { operatorContext } from "./operator";

/** CLI flag per policy field, e.g. maxDaysSub → --max-days-sub. */
const FLAGS = Object.fromEntries(
  (Object.keys(POLICY_LABELS) as (keyof KeyPolicy)[]).map((field) => [field, field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
) as Record<keyof KeyPolicy, string>;
const BOOLEAN_FIELDS = new Set<keyof KeyPolicy>(["memberPlusMayCreateSub", "subKeysRequireBuckets", "subKeysRequirePrefix", "subKeysRequireCidrs", "sharingAllowed"]);
const UNITS: Partial<Record<keyof KeyPolicy, string>> = { maxShareHours: "hours" };

const orgOption = { type: "string" as const, value: "id", description: "Organization id (see keygate org list)" };

async function requireOrg(db: Db, orgId: string) {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
  if (!org) throw new CliError(`Organization ${orgId} not found.`);
  return org;
}

function printPolicy(policy: KeyPolicy) {
  const width = Math.max(...Object.values(POLICY_LABELS).map((l) => l.length)) + 2;
  for (const field of Object.keys(POLICY_LABELS) as (keyof KeyPolicy)[]) {
    const v = policy[field];
    const shown = typeof v === "boolean" ? (v ? "yes" : "no") : v === null ? "no limit" : `${v} ${UNITS[field] ?? "days"}`;
    out.line(`  ${`${POLICY_LABELS[field]}:`.padEnd(width)}${shown}  (--${FLAGS[field]})`);
  }
}

export const orgPolicyGetCommand: Command = {
  name: "org policy get",
  usage: "--org <id> [--json]",
  summary: "Show an organization's key policy.",
  options: { org: orgOption, json: jsonOption },
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    return withDatabase(async ({ db }) => {
      const org = await requireOrg(db, orgId);
      const policy = await getKeyPolicy(db, org.id);
      if (values.json) return out.json(policy);
      out.line(`Key policy of ${org.name} (${org.id}):`);
      printPolicy(policy);
    });
  },
};

/** The flags given, as a partial policy in the shape the console's form and the API send. */
function changesFrom(values: Values): Partial<Record<keyof KeyPolicy, unknown>> {
  const changes: Partial<Record<keyof KeyPolicy, unknown>> = {};
  for (const [field, flag] of Object.entries(FLAGS) as [keyof KeyPolicy, string][]) {
    const raw = stringValue(values, flag)?.trim().toLowerCase();
    if (raw === undefined) continue;
    if (BOOLEAN_FIELDS.has(field)) {
      if (!["true", "false", "yes", "no"].includes(raw)) throw new UsageError(`--${flag} must be yes or no (${POLICY_LABELS[field]}).`);
      changes[field] = raw === "true" || raw === "yes";
    } else {
      changes[field] = raw === "none" ? null : raw;
    }
  }
  return changes;
}

/** Validation errors as field errors that name the policy, like the console's form. */
function namePolicies(err: ZodError): AppError {
  const fields: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const field = String(issue.path[0]) as keyof KeyPolicy;
    (fields[`--${FLAGS[field] ?? field}`] ??= []).push(`${POLICY_LABELS[field] ?? field}: ${issue.message}`);
  }
  return new AppError(400, "invalid_policy", "The key policy was not changed:", fields);
}

export const orgPolicySetCommand: Command = {
  name: "org policy set",
  usage: "--org <id> [--<policy> <value> ...] [--json]",
  summary: "Change an organization's key policy (only the policies given).",
  description: `
Lifetimes and the rotation period are whole days (1 to 3650), the share-link lifetime whole
hours (1 to 720); "none" removes the limit. Switches take yes or no. Keys made before a new rule
are never changed: lists flag them "Outside policy". The change is recorded as an event by
"keygate CLI".`,
  options: {
    org: orgOption,
    ...Object.fromEntries((Object.entries(FLAGS) as [keyof KeyPolicy, string][]).map(([field, flag]) => [
      flag,
      { type: "string" as const, value: BOOLEAN_FIELDS.has(field) ? "yes|no" : `n|none`, description: POLICY_LABELS[field] },
    ])),
    json: jsonOption,
  },
  examples: [
    "keygate org policy set --org <id> --max-days-sub 90 --sub-keys-require-buckets yes",
    "keygate org policy set --org <id> --rotation-period-days 180 --max-share-hours none",
  ],
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    const changes = changesFrom(values);
    if (Object.keys(changes).length === 0) throw new UsageError("Give at least one policy to change (see --help).");
    return withDatabase(async ({ db }) => {
      const org = await requireOrg(db, orgId);
      const before = await getKeyPolicy(db, org.id);
      const policy = await updateKeyPolicy(db, operatorContext(org.id), { ...before, ...changes }).catch((err: unknown) => {
        throw err instanceof ZodError ? namePolicies(err) : err;
      });
      if (values.json) return out.json(policy);
      const changed = (Object.keys(policy) as (keyof KeyPolicy)[]).filter((f) => policy[f] !== before[f]);
      out.line(changed.length ? `Changed the key policy of ${org.name}: ${changed.map((f) => POLICY_LABELS[f]).join(", ")}.` : `The key policy of ${org.name} already was so; nothing changed.`);
      printPolicy(policy);
    });
  },
};
