// keygate project create | rename | delete: the console's project rules and events (lib/projects).
import { createProject, deleteProject, renameProject } from "../lib/projects/projects";
import { type Command, jsonOption, out, requireString, UsageError } from "./command";
import { withDatabase } from "./context";
import { findOrgOrThrow, findProjectOrThrow } from "./lookup";
import { operatorContext } from "./operator";

const view = (p: { id: string; name: string; orgId: string; createdAt: Date }) => ({ id: p.id, name: p.name, orgId: p.orgId, createdAt: p.createdAt.toISOString() });

export const projectCreateCommand: Command = {
  name: "project create",
  usage: "--org <id> --name <name> [--json]",
  summary: "Create a project in an organization.",
  options: {
    org: { type: "string", value: "id", description: "Organization id (see keygate org list)" },
    name: { type: "string", value: "name", description: "Project name (2 to 64 characters, unique in the organization)" },
    json: jsonOption,
  },
  examples: ["keygate project create --org <id> --name analytics --json"],
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    const name = requireString(values, "name");
    return withDatabase(async ({ db }) => {
      await findOrgOrThrow(db, orgId);
      const project = view(await createProject(db, operatorContext(orgId), { name }));
      if (values.json) return out.json(project);
      out.line(`Created project "${project.name}" (id ${project.id}).`);
    });
  },
};

export const projectRenameCommand: Command = {
  name: "project rename",
  usage: "<project id> --name <name> [--json]",
  summary: "Rename a project.",
  options: { name: { type: "string", value: "name", description: "The new name" }, json: jsonOption },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals }) => {
    const name = requireString(values, "name");
    return withDatabase(async ({ db }) => {
      const { orgId, id, name: before } = await findProjectOrThrow(db, positionals[0].trim());
      const project = view(await renameProject(db, operatorContext(orgId), { projectId: id, name }));
      if (values.json) return out.json(project);
      out.line(`Renamed project "${before}" to "${project.name}".`);
    });
  },
};

export const projectDeleteCommand: Command = {
  name: "project delete",
  usage: "<project id> --yes [--json]",
  summary: "Delete a project and its keys (refused while it has buckets).",
  description: `
Every key of the project is deleted with it and stops working at once. Refused while the project
still has buckets: delete them first (keygate bucket delete). --yes confirms.`,
  options: { yes: { type: "boolean", description: "Confirm: delete the project and its keys" }, json: jsonOption },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals }) => {
    if (!values.yes) throw new UsageError("Deleting a project deletes its keys: confirm with --yes.");
    return withDatabase(async ({ db }) => {
      const project = await findProjectOrThrow(db, positionals[0].trim());
      await deleteProject(db, operatorContext(project.orgId), project.id);
      if (values.json) return out.json({ id: project.id, name: project.name, deleted: true });
      out.line(`Deleted project "${project.name}" (id ${project.id}).`);
    });
  },
};
