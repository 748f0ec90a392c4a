// Deleting an organization: everything it owns goes (projects, buckets, keys, members,
// invitations, API tokens, policy); its events stay for the operator's history.
import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import { deleteBucket, type StorageFor } from "../buckets/buckets";
import type { Db } from "../db";
import { conflict, notFound } from "../errors";
import { describeLocked, findLockedVersion } from "../buckets/locked-versions";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { StorageError, type StorageBackend } from "../storage/types";

export const deleteOrganizationSchema = z.object({ purge: z.boolean().default(false) });

// Versions count: a versioned bucket whose keys are all deleted still holds its old versions
// and delete markers (and storage refuses to delete it).
async function holdsObjects(storage: StorageBackend, bucket: string): Promise<boolean> {
  const page = await storage.listObjectVersions(bucket, { maxKeys: 1 }).catch((err) => {
    if (err instanceof StorageError && err.code === "NoSuchBucket") return null;
    throw err;
  });
  return !!page && page.versions.length > 0;
}

/** Deletes every version and delete marker of a bucket, page by page; returns how many. */
async function purgeObjects(storage: StorageBackend, bucket: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await storage.listObjectVersions(bucket, { maxKeys: 1000 });
    for (const v of page.versions) await storage.deleteObject(bucket, v.key, v.versionId);
    deleted += page.versions.length;
    if (page.versions.length === 0) return deleted;
  }
}

/**
 * ADMIN (or the operator) only. Refused while a bucket holds objects, unless `purge`: then every
 * object version is deleted first. Buckets are deleted through deleteBucket (the same rules and
 * events as the console), then the organization in one transaction that tells every gateway
 * to drop its keys.
 */
export async function deleteOrganization(db: Db, ctx: OrgContext, input: z.input<typeof deleteOrganizationSchema>, storageFor: StorageFor) {
  requirePermission(ctx, "members.manage");
  const { purge } = deleteOrganizationSchema.parse(input);
  const org = await db.organization.findUnique({ where: { id: ctx.orgId }, select: { id: true, name: true } });
  if (!org) throw notFound("Organization not found");
  const buckets = await db.bucket.findMany({ where: { project: { orgId: org.id } }, orderBy: { name: "asc" }, select: { id: true, name: true, regionId: true } });
  const full: string[] = [];
  for (const b of buckets) if (await holdsObjects(storageFor(b.regionId), b.name)) full.push(b.name);
  if (full.length && !purge) {
    throw conflict(`${full.length} bucket(s) still hold objects (${full.slice(0, 5).join(", ")}${full.length > 5 ? ", …" : ""}). Delete the objects first, or purge them.`);
  }
  // Object Lock: nothing is purged while any bucket holds a locked version (checked before the
  // first delete, so a refused purge leaves everything as it was).
  if (purge) {
    for (const b of buckets) {
      if (!full.includes(b.name)) continue;
      const locked = await findLockedVersion(storageFor(b.regionId), b.name);
      if (locked) throw conflict(`The organization cannot be deleted. ${describeLocked(b.name, locked)}`);
    }
  }
  let objectsDeleted = 0;
  for (const b of buckets) {
    if (full.includes(b.name)) objectsDeleted += await purgeObjects(storageFor(b.regionId), b.name);
    await deleteBucket(db, ctx, b.id, storageFor);
  }
  const counts = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${org.id} FOR UPDATE`;
    if (await tx.bucket.count({ where: { project: { orgId: org.id } } })) throw conflict("A bucket was created meanwhile; try again.");
    const keys = await tx.accessKey.findMany({ where: { orgId: org.id }, select: { accessKeyId: true } });
    const projects = await tx.project.findMany({ where: { orgId: org.id }, select: { id: true } });
    const members = await tx.membership.count({ where: { orgId: org.id } });
    await tx.organization.delete({ where: { id: org.id } });
    await writeEvent(tx, {
      type: "org.deleted", orgId: org.id, actor: ctx.actor,
      data: { name: org.name, projects: projects.length, buckets: buckets.length, keys: keys.length, members, objectsDeleted, purge },
    });
    // Cached keys die with the organization: every gateway drops them on commit.
    await notifyKeysChanged(tx, [...keys.map((k) => k.accessKeyId), ...projects.map((p) => `project:${p.id}`)]);
    return { projects: projects.length, keys: keys.length, members };
  });
  return { id: org.id, name: org.name, buckets: buckets.length, objectsDeleted, ...counts };
}
