// Organization API tokens on /api/v1: `Authorization: Bearer kgt_…`. A token acts on its own
// organization only, with the rights of the ADMIN who created it.
import type { OrgContext } from "../auth/context";
import type { Tx } from "../db";
import { unauthorized } from "../errors";
import { clientIpFromHeaders } from "../net/client-ip";
import { isOrgTokenFormat, orgTokenStatus } from "../org-tokens/org-tokens";
import { hashToken } from "../tokens";

/** The acting context of a call made with an organization API token. */
export type OrgTokenCaller = OrgContext & { tokenId: string; tokenName: string };

export const ORG_TOKEN_AUTHENTICATE_HEADER = 'Bearer realm="keygate", charset="UTF-8"';

// One message for every failure, so a caller cannot learn which part (format, existence,
// expiry, revocation, the creator's role) was wrong.
const denied = () => unauthorized("Authenticate with an active organization API token: Authorization: Bearer <token>.");

export function readBearerToken(header: string | null): string | null {
  const match = header?.match(/^Bearer[ \t]+(\S{1,256})[ \t]*$/i);
  return match ? match[1] : null;
}

/**
 * Resolves `Authorization: Bearer <organization API token>` to its organization and acting
 * context, or throws 401. Only the token's SHA-256 is looked up (no timing oracle on the
 * token). The token works while it is neither revoked nor expired and its creator is still an
 * ADMIN of the organization: a token never carries more rights than its creator holds now.
 * Each success updates the token's "last used".
 */
export async function authenticateOrgToken(db: Tx, request: Request): Promise<OrgTokenCaller> {
  const token = readBearerToken(request.headers.get("authorization"));
  if (!token || !isOrgTokenFormat(token)) throw denied();
  const row = await db.orgApiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || orgTokenStatus(row) !== "Active") throw denied();
  const membership = await db.membership.findUnique({
    where: { orgId_userId: { orgId: row.orgId, userId: row.createdById } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  if (!membership || membership.role !== "ADMIN") throw denied();
  const ip = clientIpFromHeaders(request.headers);
  await db.orgApiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(), lastUsedIp: ip } });
  const { user } = membership;
  return {
    actor: {
      userId: user.id, name: `${user.name || user.email} (API token "${row.name}")`, email: user.email, ip,
      userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
    },
    orgId: row.orgId,
    role: "ADMIN",
    tokenId: row.id,
    tokenName: row.name,
  };
}
