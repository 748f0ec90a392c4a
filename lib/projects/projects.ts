import { z } from "zod";
import { type OrgContext, requirePermission } from "../auth/context";
import type { Db, Tx } from "../db";
import { conflict, isUniqueViolation, notFound } from "../errors";
import { writeEvent } from "../events/write-event";
import { notifyKeysChanged } from "../keys/notify";
import { displayName } from "../names";

export const projectNameSchema = displayName(2, 64);
export const createProjectSchema = z.object({ name: projectNameSchema });
export const renameProjectSchema = z.object({ projectId: z.string().min(1), name: projectNameSchema });

const nameTaken = () => conflict("A project with this name already exists.", { name: ["A project with this name already exists."] });

export async function listProjects(db: Tx, ctx: OrgContext) {
  requirePermission(ctx, "org.read");
  return db.project.findMany({ where: { orgId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, createdAt: true } });
}

/** The project, only if it belongs to the caller's organization (404 otherwise). */
export async function getProjectOrThrow(db: Tx, ctx: OrgContext, projectId: string) {
  requirePermission(ctx, "org.read");
  const project = await db.project.findFirst({ where: { id: projectId, orgId: ctx.orgId } });
  if (!project) throw notFound("Project not found");
  return project;
}

export async function createProject(db: Db, ctx: OrgContext, input: z.input<typeof createProjectSchema>) {
  requirePermission(ctx, "projects.manage");
  const { name } = createProjectSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.create({ data: { orgId: ctx.orgId, name } });
      await writeEvent(tx, { type: "project.created", orgId: ctx.orgId, projectId: project.id, actor: ctx.actor, data: { name } });
      return project;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function renameProject(db: Db, ctx: OrgContext, input: z.input<typeof renameProjectSchema>) {
  requirePermission(ctx, "projects.manage");
  const { projectId, name } = renameProjectSchema.parse(input);
  const project = await getProjectOrThrow(db, ctx, projectId);
  try {
    return await db.$transaction(async (tx) => {
      const updated = await tx.project.update({ where: { id: project.id }, data: { name } });
      await writeEvent(tx, { type: "project.renamed", orgId: ctx.orgId, projectId, actor: ctx.actor, data: { from: project.name, to: name } });
      return updated;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/**
 * Row lock on a project until the transaction ends: "update" to delete it, "share" to add a
 * bucket to it. A deletion and a bucket creation then take turns, and the second sees what the
 * first did (a bucket to refuse the deletion for, or no project), instead of failing on the
 * foreign key with a 500. Throws 404 when the project is gone.
 */
export async function lockProject(tx: Tx, projectId: string, mode: "update" | "share"): Promise<void> {
  const rows = mode === "update"
    ? await tx.$queryRaw<unknown[]>`SELECT "id" FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`
    : await tx.$queryRaw<unknown[]>`SELECT "id" FROM "Project" WHERE "id" = ${projectId} FOR SHARE`;
  if (rows.length === 0) throw notFound("Project not found");
}

/** Refused while the project still has buckets: deleting data is a separate, explicit step. */
export async function deleteProject(db: Db, ctx: OrgContext, projectId: string) {
  requirePermission(ctx, "projects.manage");
  const project = await getProjectOrThrow(db, ctx, projectId);
  await db.$transaction(async (tx) => {
    await lockProject(tx, project.id, "update");
    const buckets = await tx.bucket.count({ where: { projectId } });
    if (buckets > 0) throw conflict(`Delete the project's ${buckets} bucket(s) first.`);
    const keys = await tx.accessKey.findMany({ where: { projectId }, select: { accessKeyId: true } });
    await tx.project.delete({ where: { id: project.id } });
    await writeEvent(tx, { type: "project.deleted", orgId: ctx.orgId, projectId, actor: ctx.actor, data: { name: project.name, keys: keys.length } });
    // The project's keys are deleted with it: every gateway drops its cached copies on commit.
    await notifyKeysChanged(tx, keys.map((k) => k.accessKeyId));
  });
}
