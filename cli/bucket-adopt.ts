// keygate bucket adopt: take a bucket that already exists in a region's storage into a project.
import { adoptBucket } from "../lib/buckets/adopt-bucket";
import { createRegionBackend } from "../lib/storage/regions";
import { type Command, CliError, jsonOption, out, requireString } from "./command";
import { withDatabase } from "./context";
import { operatorContext } from "./operator";

export const bucketAdoptCommand: Command = {
  name: "bucket adopt",
  usage: "--project <id> --region <id> --name <bucket> [--json]",
  summary: "Adopt an existing storage bucket (made outside Keygate) into a project.",
  description: `
The console and the API refuse to create a bucket whose name already exists in the region's
storage: on an s3 region it belongs to someone else. When it is yours and should be managed here,
adopt it with this command. Every key of the project can then reach the bucket's objects. The
event log records a bucket.adopted event made by "keygate CLI".`,
  options: {
    project: { type: "string", value: "id", description: "Project id (see keygate project list)" },
    region: { type: "string", value: "id", description: "Region id" },
    name: { type: "string", value: "bucket", description: "Name of the existing bucket" },
    json: jsonOption,
  },
  examples: ["keygate bucket adopt --project <id> --region eu-1 --name legacy-assets"],
  run: async ({ values }) => {
    const projectId = requireString(values, "project");
    const regionId = requireString(values, "region");
    const name = requireString(values, "name");
    return withDatabase(async ({ env, db }) => {
      const region = env.regions.find((r) => r.id === regionId);
      if (!region) throw new CliError(`Region ${regionId} is not configured (KEYGATE_REGIONS).`);
      const project = await db.project.findUnique({ where: { id: projectId }, select: { orgId: true } });
      if (!project) throw new CliError(`Project ${projectId} not found.`);
      const bucket = await adoptBucket(db, operatorContext(project.orgId), { projectId, regionId, name }, createRegionBackend(region));
      const result = { id: bucket.id, name: bucket.name, regionId, projectId };
      if (values.json) return out.json(result);
      out.line(`Adopted bucket ${name} (region ${regionId}) into project ${projectId}.`);
    });
  },
};
