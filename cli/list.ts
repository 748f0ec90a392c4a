// keygate org list | project list | key list: read-only views for operators.
import { listProjectKeys } from "../lib/keys/list-keys";
import { listProjects } from "../lib/projects/projects";
import { type Command, CliError, jsonOption, out, requireString, stringValue, UsageError, type Values } from "./command";
import { withDatabase } from "./context";
import { operatorContext } from "./operator";

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "-");

/** Aligned columns; the last column is not padded. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  out.line(line(header));
  rows.forEach((r) => out.line(line(r)));
}

export const orgListCommand: Command = {
  name: "org list",
  usage: "[--json]",
  summary: "List every organization with its member, project and key counts.",
  options: { json: jsonOption },
  run: ({ values }) =>
    withDatabase(async ({ db }) => {
      const orgs = await db.organization.findMany({
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, name: true, createdAt: true, _count: { select: { memberships: true, projects: true, keys: true } } },
      });
      return orgs.map((o) => ({ id: o.id, name: o.name, createdAt: o.createdAt, members: o._count.memberships, projects: o._count.projects, keys: o._count.keys }));
    }).then((rows) => render(values, rows, ["ID", "NAME", "MEMBERS", "PROJECTS", "KEYS", "CREATED"], (o) => [o.id, o.name, String(o.members), String(o.projects), String(o.keys), day(o.createdAt)])),
};

export const projectListCommand: Command = {
  name: "project list",
  usage: "--org <id> [--json]",
  summary: "List the projects of an organization.",
  options: { org: { type: "string", value: "id", description: "Organization id (see keygate org list)" }, json: jsonOption },
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    return withDatabase(async ({ db }) => {
      if (!(await db.organization.findUnique({ where: { id: orgId }, select: { id: true } }))) throw new CliError(`Organization ${orgId} not found.`);
      return listProjects(db, operatorContext(orgId));
    }).then((rows) => render(values, rows, ["ID", "NAME", "CREATED"], (p) => [p.id, p.name, day(p.createdAt)]));
  },
};

const KINDS = { master: ["MASTER"], sub: ["SUB"], all: ["MASTER", "SUB"] } as const;

export const keyListCommand: Command = {
  name: "key list",
  usage: "--project <id> [--kind master|sub|all] [--json]",
  summary: "List the master and sub keys of a project (never their secrets).",
  options: {
    project: { type: "string", value: "id", description: "Project id (see keygate project list)" },
    kind: { type: "string", value: "master|sub|all", description: "Which keys (default: all)" },
    json: jsonOption,
  },
  run: ({ values }) => {
    const projectId = requireString(values, "project");
    const kind = stringValue(values, "kind") ?? "all";
    if (!(kind in KINDS)) throw new UsageError(`--kind must be master, sub or all.`);
    return withDatabase(async ({ db }) => {
      const project = await db.project.findUnique({ where: { id: projectId }, select: { orgId: true } });
      if (!project) throw new CliError(`Project ${projectId} not found.`);
      const ctx = operatorContext(project.orgId);
      const keys = [];
      for (const k of KINDS[kind as keyof typeof KINDS]) {
        let after: string | undefined;
        do {
          const page = await listProjectKeys(db, ctx, { projectId, kind: k, after, limit: 100 });
          keys.push(...page.keys);
          after = page.next ?? undefined;
        } while (after);
      }
      return keys.map((k) => ({
        id: k.id, kind: k.kind, name: k.name, accessKeyId: k.accessKeyId, regionId: k.regionId, status: k.status, secretLast4: k.secretLast4,
        permissions: k.permissions, allBuckets: k.allBuckets, prefix: k.prefix, createdAt: k.createdAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt, lastUsedAt: k.lastUsedAt,
      }));
    }).then((rows) =>
      render(values, rows, ["ACCESS KEY ID", "KIND", "STATUS", "REGION", "EXPIRES", "LAST USED", "ID", "NAME"], (k) => [
        k.accessKeyId, k.kind.toLowerCase(), k.status.toLowerCase(), k.regionId, day(k.expiresAt), day(k.lastUsedAt), k.id, k.name,
      ]),
    );
  },
};

function render<T>(values: Values, rows: T[], header: string[], cells: (row: T) => string[]): void {
  if (values.json) return out.json(rows);
  if (rows.length === 0) return out.line("(none)");
  printTable(header, rows.map(cells));
}
