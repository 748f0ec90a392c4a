// Bucket CORS rules: read and replace them (console, gateway PutBucketCors with a master key).
// One function per direction so the console and the gateway cannot disagree; the change and its
// event are written in one transaction.
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db } from "../db";
import { notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { Prisma } from "../generated/prisma/client";
import { type CorsRule, corsRulesSchema, parseStoredCorsRules } from "./cors-rules";

async function bucketOfOrg(db: Db, ctx: OrgContext, bucketId: string) {
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, project: { orgId: ctx.orgId } } });
  if (!bucket) throw notFound("Bucket not found");
  return bucket;
}

/** The bucket's rules, or null when it has no CORS configuration. */
export async function getBucketCors(db: Db, ctx: OrgContext, bucketId: string): Promise<CorsRule[] | null> {
  requirePermission(ctx, "buckets.manage");
  return parseStoredCorsRules((await bucketOfOrg(db, ctx, bucketId)).corsRules);
}

/** Replaces the rules (validated here, whoever calls); null removes the configuration. */
export async function setBucketCors(db: Db, ctx: OrgContext, bucketId: string, rules: unknown[] | null): Promise<CorsRule[] | null> {
  requirePermission(ctx, "buckets.manage");
  const parsed = rules === null ? null : corsRulesSchema.parse(rules);
  const bucket = await bucketOfOrg(db, ctx, bucketId);
  await db.$transaction(async (tx) => {
    await tx.bucket.update({ where: { id: bucket.id }, data: { corsRules: parsed ?? Prisma.DbNull } });
    await writeEvent(tx, {
      type: "bucket.cors_updated", orgId: ctx.orgId, projectId: bucket.projectId, actor: ctx.actor,
      data: { name: bucket.name, regionId: bucket.regionId, rules: parsed?.length ?? 0 },
    });
  });
  return parsed;
}
