// keygate bucket create | list | delete: storage and rows together, with the console's rules and
// events (lib/buckets).
import type { Db } from "../lib/db";
import { createBucket, deleteBucket, listBuckets } from "../lib/buckets/buckets";
import { explainStorageError } from "../lib/buckets/storage-failure";
import { getRegionStorage } from "../lib/storage/regions";
import { type Command, CliError, jsonOption, out, requireString, stringValue } from "./command";
import { withDatabase } from "./context";
import { findProjectOrThrow } from "./lookup";
import { operatorContext } from "./operator";

const view = (b: { id: string; name: string; regionId: string; projectId: string; createdAt: Date }) =>
  ({ id: b.id, name: b.name, regionId: b.regionId, projectId: b.projectId, createdAt: b.createdAt.toISOString() });

export const bucketCreateCommand: Command = {
  name: "bucket create",
  usage: "--project <id> --name <bucket> [--region <id>] [--versioning] [--object-lock] [--json]",
  summary: "Create a bucket in a project (in the region's storage too).",
  description: `
--versioning keeps every version of every object; it can be suspended later (in the console or with
PutBucketVersioning), but the bucket never returns to unversioned. --object-lock lets versions be
locked against deletion (retention, legal hold); it implies versioning and can never be turned off.`,
  options: {
    project: { type: "string", value: "id", description: "Project id (see keygate project list)" },
    name: { type: "string", value: "bucket", description: "S3 bucket name, unique in the region" },
    region: { type: "string", value: "id", description: "Region id (default: the first configured region)" },
    versioning: { type: "boolean", description: "Enable versioning from the start" },
    "object-lock": { type: "boolean", description: "Create the bucket with Object Lock (implies versioning; permanent)" },
    json: jsonOption,
  },
  examples: ["keygate bucket create --project <id> --name backups --json", "keygate bucket create --project <id> --name audit-logs --object-lock"],
  run: ({ values }) => {
    const projectId = requireString(values, "project");
    const name = requireString(values, "name");
    return withDatabase(async ({ env, db }) => {
      const project = await findProjectOrThrow(db, projectId);
      const regionId = stringValue(values, "region") ?? env.regions[0].id;
      if (!env.regions.some((r) => r.id === regionId)) throw new CliError(`Region ${regionId} is not configured (KEYGATE_REGIONS).`);
      const input = { projectId, regionId, name, versioning: values.versioning === true, objectLock: values["object-lock"] === true };
      const created = await createBucket(db, operatorContext(project.orgId), input, getRegionStorage).catch(explainStorageError(regionId));
      const bucket = { ...view(created), versioning: created.versioning, objectLock: created.objectLock };
      if (values.json) return out.json(bucket);
      const extras = bucket.objectLock ? ", with Object Lock and versioning" : bucket.versioning === "Enabled" ? ", versioned" : "";
      out.line(`Created bucket ${bucket.name} (id ${bucket.id}) in region ${bucket.regionId}${extras}, project "${project.name}".`);
    });
  },
};

export const bucketListCommand: Command = {
  name: "bucket list",
  usage: "--project <id> [--json]",
  summary: "List the buckets of a project.",
  options: { project: { type: "string", value: "id", description: "Project id" }, json: jsonOption },
  run: ({ values }) => {
    const projectId = requireString(values, "project");
    return withDatabase(async ({ db }) => {
      const project = await findProjectOrThrow(db, projectId);
      const buckets = (await listBuckets(db, operatorContext(project.orgId), projectId)).map(view);
      if (values.json) return out.json(buckets);
      if (buckets.length === 0) return out.line("(none)");
      const width = Math.max(4, ...buckets.map((b) => b.name.length));
      out.line(`${"NAME".padEnd(width)}  REGION  ID`);
      for (const b of buckets) out.line(`${b.name.padEnd(width)}  ${b.regionId.padEnd(6)}  ${b.id}`);
    });
  },
};

/** By id, or by name (with --region when the name exists in several regions). */
async function findBucket(db: Db, ref: string, regionId: string | undefined) {
  const found = await db.bucket.findMany({
    where: { OR: [{ id: ref }, { name: ref, ...(regionId ? { regionId } : {}) }] },
    select: { id: true, name: true, regionId: true, project: { select: { orgId: true } } },
  });
  if (found.length === 0) throw new CliError(`Bucket ${ref} not found.`);
  if (found.length > 1) throw new CliError(`Bucket ${ref} exists in several regions (${found.map((b) => b.regionId).join(", ")}): add --region.`);
  return found[0];
}

export const bucketDeleteCommand: Command = {
  name: "bucket delete",
  usage: "<bucket id | name> [--region <id>] [--json]",
  summary: "Delete an empty bucket (refused while it holds objects).",
  options: { region: { type: "string", value: "id", description: "Region of the bucket, when deleting by name" }, json: jsonOption },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals }) =>
    withDatabase(async ({ db }) => {
      const bucket = await findBucket(db, positionals[0].trim(), stringValue(values, "region"));
      await deleteBucket(db, operatorContext(bucket.project.orgId), bucket.id, getRegionStorage);
      if (values.json) return out.json({ id: bucket.id, name: bucket.name, regionId: bucket.regionId, deleted: true });
      out.line(`Deleted bucket ${bucket.name} (region ${bucket.regionId}).`);
    }),
};
