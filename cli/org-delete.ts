// keygate org delete: the organization and everything it owns; its events stay.
import { deleteOrganization } from "../lib/orgs/delete-organization";
import { getRegionStorage } from "../lib/storage/regions";
import { type Command, jsonOption, out, UsageError } from "./command";
import { withDatabase } from "./context";
import { findOrgOrThrow } from "./lookup";
import { operatorContext } from "./operator";

export const orgDeleteCommand: Command = {
  name: "org delete",
  usage: "<org id> --yes [--purge] [--json]",
  summary: "Delete an organization with its projects, buckets, keys and members.",
  description: `
Cannot be undone: every key of the organization stops working at once, its buckets are deleted
from storage, its members lose access. The event log keeps its history (org.deleted).
Refused while a bucket still holds objects, unless --purge: then every object is deleted first.
--yes confirms the deletion; without it nothing happens.`,
  options: {
    yes: { type: "boolean", description: "Confirm: delete the organization" },
    purge: { type: "boolean", description: "Also delete the objects in its buckets" },
    json: jsonOption,
  },
  positionals: { min: 1, max: 1 },
  examples: ["keygate org delete <org id> --yes", "keygate org delete <org id> --yes --purge --json"],
  run: ({ values, positionals }) => {
    if (!values.yes) throw new UsageError("Deleting an organization cannot be undone: confirm with --yes.");
    const orgId = positionals[0].trim();
    return withDatabase(async ({ db }) => {
      await findOrgOrThrow(db, orgId);
      const result = await deleteOrganization(db, operatorContext(orgId), { purge: values.purge === true }, getRegionStorage);
      if (values.json) return out.json(result);
      out.line(`Deleted organization "${result.name}" (id ${result.id}): ${result.projects} project(s), ${result.buckets} bucket(s), ` +
        `${result.keys} key(s), ${result.members} member(s)${result.objectsDeleted ? `, ${result.objectsDeleted} object(s) purged` : ""}.`);
    });
  },
};
