import type { Tx } from "../db";
import { permissionsForRole, summarizePermissions } from "../keys/permissions";
import { hashToken } from "../tokens";
import { type ShareState, shareState } from "./share-state";

/** Everything the recipient's welcome page shows before the reveal. Never the secret. */
export type ShareWelcome = {
  sharerName: string;
  message: string | null;
  linkExpiresAt: Date;
  keyName: string;
  kind: "SUB" | "USER";
  projectName: string;
  regionId: string;
  endpoint: string;
  permissions: string;
  /** Bucket names, or null for every bucket of the project. */
  buckets: string[] | null;
  prefix: string | null;
  allowedCidrs: string[];
  keyExpiresAt: Date | null;
};

export type ShareLookup = { state: Exclude<ShareState, "ready"> } | { state: "ready"; share: ShareWelcome };

/** Tokens are 43 base64url characters; anything else cannot match and is not worth a query. */
export const isPlausibleToken = (token: string) => /^[A-Za-z0-9_-]{20,128}$/.test(token);

export async function findShareByToken(db: Tx, token: string) {
  if (!isPlausibleToken(token)) return null;
  return db.shareLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { key: true } });
}

/**
 * Reads a share link for the page its token opens. Public (no session): the token is the
 * credential, and opening the page changes nothing, so link scanners in mail clients that
 * fetch it cannot use it up.
 */
export async function getShareForRecipient(db: Tx, token: string): Promise<ShareLookup> {
  const row = await findShareByToken(db, token);
  const state = shareState(row);
  if (state !== "ready" || !row) return { state: state === "ready" ? "unknown" : state };
  const { key } = row;
  const [sharer, project, region, buckets, ownerRole] = await Promise.all([
    db.user.findUnique({ where: { id: row.createdById }, select: { name: true, email: true } }),
    db.project.findUniqueOrThrow({ where: { id: key.projectId }, select: { name: true } }),
    db.region.findUniqueOrThrow({ where: { id: key.regionId }, select: { endpoint: true } }),
    key.allBuckets ? null : db.bucket.findMany({ where: { keys: { some: { keyId: key.id } } }, select: { name: true }, orderBy: { name: "asc" } }),
    db.membership.findUnique({ where: { orgId_userId: { orgId: key.orgId, userId: key.ownerId } }, select: { role: true } }),
  ]);
  // A region key pair acts with its owner's role; a sub key with its own permission set.
  const permissions = key.kind === "USER" ? permissionsForRole(ownerRole?.role ?? "MEMBER") : key.permissions;
  return {
    state: "ready",
    share: {
      sharerName: sharer?.name || sharer?.email || "A Keygate user",
      message: row.message,
      linkExpiresAt: row.expiresAt,
      keyName: key.name,
      kind: key.kind === "USER" ? "USER" : "SUB",
      projectName: project.name,
      regionId: key.regionId,
      endpoint: region.endpoint,
      permissions: summarizePermissions(permissions),
      buckets: buckets ? buckets.map((b) => b.name) : null,
      prefix: key.kind === "SUB" ? key.prefix : null,
      allowedCidrs: key.kind === "SUB" ? key.allowedCidrs : [],
      keyExpiresAt: key.expiresAt,
    },
  };
}
