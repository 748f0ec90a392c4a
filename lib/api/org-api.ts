// The organization API's operations: thin adapters from an organization API token's caller to
// the same lib/ core functions the console and the CLI use (same rules, same events).
import type { z } from "zod";
import { createBucket, deleteBucket, listBuckets } from "../buckets/buckets";
import { explainStorageError } from "../buckets/storage-failure";
import type { Db, Tx } from "../db";
import { getEnv } from "../env";
import { notFound } from "../errors";
import { createMasterKey } from "../keys/create-keys";
import { revokeKey } from "../keys/manage-keys";
import { keyStatus } from "../keys/status";
import { changeMemberRole, listMembers } from "../orgs/members";
import { createProject, deleteProject, getProjectOrThrow, listProjects, renameProject } from "../projects/projects";
import { getRegionStorage } from "../storage/regions";
import type { OrgTokenCaller } from "./authenticate-org-token";
import type { createBucketRequest, createMasterKeyRequest, MasterKeyView } from "./org-schemas";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const projectView = (p: { id: string; name: string; createdAt: Date }) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString() });
const bucketView = (b: { id: string; name: string; regionId: string; createdAt: Date }) => ({ id: b.id, name: b.name, regionId: b.regionId, createdAt: b.createdAt.toISOString() });
const defaultRegion = () => getEnv().regions[0].id;

export async function listOrgProjects(db: Db, caller: OrgTokenCaller) {
  return { projects: (await listProjects(db, caller)).map(projectView) };
}

export async function createOrgProject(db: Db, caller: OrgTokenCaller, name: string) {
  return projectView(await createProject(db, caller, { name }));
}

export async function renameOrgProject(db: Db, caller: OrgTokenCaller, projectId: string, name: string) {
  return projectView(await renameProject(db, caller, { projectId, name }));
}

export async function deleteOrgProject(db: Db, caller: OrgTokenCaller, projectId: string) {
  await deleteProject(db, caller, projectId);
  return { id: projectId, deleted: true as const };
}

export async function listOrgBuckets(db: Db, caller: OrgTokenCaller, projectId: string) {
  return { buckets: (await listBuckets(db, caller, projectId)).map(bucketView) };
}

export async function createOrgBucket(db: Db, caller: OrgTokenCaller, projectId: string, body: z.output<typeof createBucketRequest>) {
  const { versioning = false, objectLock = false } = body;
  const regionId = body.regionId ?? defaultRegion();
  const bucket = await createBucket(db, caller, { projectId, regionId, name: body.name, versioning, objectLock }, getRegionStorage).catch(explainStorageError(regionId));
  return { ...bucketView(bucket), versioning: bucket.versioning, objectLock: bucket.objectLock };
}

/** Refused (409) while the bucket holds objects, as in the console. */
export async function deleteOrgBucket(db: Db, caller: OrgTokenCaller, projectId: string, bucketId: string) {
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, projectId, project: { orgId: caller.orgId } }, select: { id: true } });
  if (!bucket) throw notFound("Bucket not found");
  await deleteBucket(db, caller, bucket.id, getRegionStorage);
  return { id: bucket.id, deleted: true as const };
}

type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];
const memberView = (m: MemberRow) => ({ id: m.id, userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt.toISOString() });

export async function listOrgMembers(db: Db, caller: OrgTokenCaller) {
  return { members: (await listMembers(db, caller)).map(memberView) };
}

export async function changeOrgMemberRole(db: Db, caller: OrgTokenCaller, memberId: string, role: "ADMIN" | "MEMBER_PLUS" | "MEMBER") {
  await changeMemberRole(db, caller, { membershipId: memberId, role });
  const member = (await listMembers(db, caller)).find((m) => m.id === memberId);
  if (!member) throw notFound("Member not found");
  return memberView(member);
}

const MASTER_KEY_SELECT = {
  id: true, name: true, projectId: true, regionId: true, accessKeyId: true, secretLast4: true, ownerId: true,
  createdAt: true, expiresAt: true, revokedAt: true, disabledAt: true, lastUsedAt: true,
} as const;

type MasterKeyRow = {
  id: string; name: string; projectId: string; regionId: string; accessKeyId: string; secretLast4: string; ownerId: string;
  createdAt: Date; expiresAt: Date | null; revokedAt: Date | null; disabledAt: Date | null; lastUsedAt: Date | null;
};

function toMasterKeyView(k: MasterKeyRow): MasterKeyView {
  return {
    id: k.id, kind: "MASTER", name: k.name, projectId: k.projectId, regionId: k.regionId, accessKeyId: k.accessKeyId, secretLast4: k.secretLast4,
    ownerId: k.ownerId, status: keyStatus(k), createdAt: k.createdAt.toISOString(), expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt), lastUsedAt: iso(k.lastUsedAt),
  };
}

/** A master key of the project in the caller's organization; anything else is 404. */
async function readMasterKey(db: Tx, caller: OrgTokenCaller, projectId: string, keyId: string): Promise<MasterKeyView> {
  const k = await db.accessKey.findFirst({ where: { id: keyId, projectId, orgId: caller.orgId, kind: "MASTER" }, select: MASTER_KEY_SELECT });
  if (!k) throw notFound("Key not found");
  return toMasterKeyView(k);
}

/** Every master key of the project (all statuses), newest first. */
export async function listOrgMasterKeys(db: Db, caller: OrgTokenCaller, projectId: string) {
  await getProjectOrThrow(db, caller, projectId);
  const rows = await db.accessKey.findMany({
    where: { projectId, orgId: caller.orgId, kind: "MASTER" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1000, select: MASTER_KEY_SELECT,
  });
  return { keys: rows.map(toMasterKeyView) };
}

export async function createOrgMasterKey(db: Db, caller: OrgTokenCaller, projectId: string, body: z.output<typeof createMasterKeyRequest>) {
  await getProjectOrThrow(db, caller, projectId);
  const issued = await createMasterKey(db, caller, {
    projectId, name: body.name, description: body.description, regionId: body.regionId ?? defaultRegion(), ownerId: body.ownerId,
    expiry: body.expiry, expiresAt: body.expiresAt,
  });
  const region = await db.region.findUniqueOrThrow({ where: { id: issued.regionId }, select: { endpoint: true } });
  return { key: await readMasterKey(db, caller, projectId, issued.id), secret: issued.secret, endpoint: region.endpoint };
}

export async function revokeOrgMasterKey(db: Db, caller: OrgTokenCaller, projectId: string, keyId: string) {
  await readMasterKey(db, caller, projectId, keyId);
  await revokeKey(db, caller, keyId);
  return readMasterKey(db, caller, projectId, keyId);
}
