import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/page-context", () => ({ requireOrgContext: vi.fn(async () => ({ orgId: "org1", role: "ADMIN", actor: { userId: "u1", name: "A", email: "a@x" } })) }));
vi.mock("@/lib/db", () => ({ getDb: () => ({}) }));
// Server actions (server-only) are not rendered, only bound.
vi.mock("../../app/(console)/orgs/[orgId]/settings/api-tokens/actions", () => ({ createOrgTokenAction: vi.fn(), revokeOrgTokenAction: vi.fn() }));
const day = 86_400_000;
const row = (id: string, status: string, extra: object) => ({
  id, name: `token-${id}`, status, tokenLast4: `L4${id}`, createdById: "u1", createdByEmail: "admin@acme.test", createdAt: new Date(Date.now() - 2 * day),
  expiresAt: new Date(Date.now() + 30 * day), revokedAt: null, lastUsedAt: null, lastUsedIp: null, ...extra,
});
vi.mock("@/lib/org-tokens/org-tokens", () => ({
  listOrgTokens: vi.fn(async () => [
    row("a", "Active", { lastUsedAt: new Date(Date.now() - 3600_000), lastUsedIp: "::ffff:203.0.113.9" }),
    row("r", "Revoked", { revokedAt: new Date() }),
  ]),
  createOrgToken: vi.fn(), revokeOrgToken: vi.fn(),
}));

const { default: ApiTokensPage } = await import("../../app/(console)/orgs/[orgId]/settings/api-tokens/page");
const { requireOrgContext } = await import("@/lib/auth/page-context");

describe("organization API tokens page", () => {
  it("is for admins, lists tokens by their last 4 characters with status, creator and last use, and offers revoke for active ones", async () => {
    const html = renderToStaticMarkup(await ApiTokensPage({ params: Promise.resolve({ orgId: "org1" }) }));
    expect(requireOrgContext).toHaveBeenCalledWith("org1", "members.manage");
    for (const text of ["token-a", "kgt_…L4a", "kgt_…L4r", "Active", "Revoked", "admin@acme.test", "from 203.0.113.9", "Never", "Create API token"]) {
      expect(html).toContain(text);
    }
    expect(html.match(/>Revoke</g)?.length).toBe(1); // the revoked token has no Revoke button
  });
});
