import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { OrgContext } from "../auth/context";
import type { Tx } from "../db";
import { unauthorized } from "../errors";
import { unsealKeySecret } from "../keys/keyring";
import { keyStatus } from "../keys/status";
import { clientIpFromHeaders } from "../net/client-ip";

/** The acting context of an API call: the master key's owner, acting on the key's project only. */
export type ApiCaller = OrgContext & { projectId: string; regionId: string; masterKeyId: string; accessKeyId: string };

export const AUTHENTICATE_HEADER = 'Basic realm="keygate", charset="UTF-8"';

// One message for every failure, so a caller cannot learn which part (id, secret, kind, status,
// owner) was wrong.
const denied = () => unauthorized("Authenticate with an active master key: HTTP Basic, access key id as user name, secret as password.");

export function readBasicCredentials(header: string | null): { accessKeyId: string; secret: string } | null {
  const match = header?.match(/^Basic[ \t]+([A-Za-z0-9+/=]{4,1024})[ \t]*$/i);
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1 || colon > 128) return null;
  const accessKeyId = decoded.slice(0, colon);
  // Access key ids are printable ASCII; anything else (a NUL byte PostgreSQL cannot even look up) is no id.
  if (!/^[\x21-\x7e]+$/.test(accessKeyId)) return null;
  return { accessKeyId, secret: decoded.slice(colon + 1) };
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time over equal-length digests, so neither the content nor the length of the secret leaks. */
function secretsMatch(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/** During a rotation overlap window the previous secret authenticates too, as at the gateway. */
function previousSecretMatches(key: { accessKeyId: string; previousSealedSecret: string | null; previousSecretUntil: Date | null }, presented: string) {
  if (!key.previousSealedSecret || !key.previousSecretUntil || key.previousSecretUntil <= new Date()) return false;
  return secretsMatch(unsealKeySecret({ accessKeyId: key.accessKeyId, sealedSecret: key.previousSealedSecret }), presented);
}

/**
 * Resolves `Authorization: Basic base64(accessKeyId:secret)` to a caller. Only an active MASTER
 * key whose owner is still an ADMIN of the organization authenticates; anything else is 401.
 */
export async function authenticateMasterKey(db: Tx, request: Request): Promise<ApiCaller> {
  const creds = readBasicCredentials(request.headers.get("authorization"));
  if (!creds) throw denied();
  const key = await db.accessKey.findUnique({
    where: { accessKeyId: creds.accessKeyId },
    select: {
      id: true, kind: true, orgId: true, projectId: true, regionId: true, accessKeyId: true, sealedSecret: true, ownerId: true, expiresAt: true,
      revokedAt: true, disabledAt: true, previousSealedSecret: true, previousSecretUntil: true,
    },
  });
  // Compare even for an unknown id, so response time does not tell whether the id exists.
  const secretOk = key ? secretsMatch(unsealKeySecret(key), creds.secret) || previousSecretMatches(key, creds.secret)
    : secretsMatch(randomBytes(24).toString("hex"), creds.secret) && false;
  if (!key || !secretOk || key.kind !== "MASTER" || keyStatus(key) !== "Active") throw denied();
  const membership = await db.membership.findUnique({
    where: { orgId_userId: { orgId: key.orgId, userId: key.ownerId } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  // A master key acts with its owner's rights: an owner who left or is no longer ADMIN disables it.
  if (!membership || membership.role !== "ADMIN") throw denied();
  const { user } = membership;
  return {
    actor: { userId: user.id, name: user.name, email: user.email, ip: clientIpFromHeaders(request.headers), userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null },
    orgId: key.orgId,
    role: membership.role,
    projectId: key.projectId,
    regionId: key.regionId,
    masterKeyId: key.id,
    accessKeyId: key.accessKeyId,
  };
}
