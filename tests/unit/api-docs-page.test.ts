import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// The page's only server-only dependency: the signed-in admin's context.
vi.mock("@/lib/auth/page-context", () => ({ requireOrgContext: vi.fn(async () => ({ orgId: "org1", role: "ADMIN", actor: { userId: "u1", name: "A", email: "a@x" } })) }));

const { default: ApiDocsPage } = await import("../../app/(console)/orgs/[orgId]/api-docs/page");
const { requireOrgContext } = await import("@/lib/auth/page-context");
const { listRegions } = await import("../../lib/storage/regions");

describe("console API reference page", () => {
  it("renders every operation with its method, path, fields and curl example, for admins only", async () => {
    const html = renderToStaticMarkup(await ApiDocsPage({ params: Promise.resolve({ orgId: "org1" }) }));
    expect(requireOrgContext).toHaveBeenCalledWith("org1", "keys.master");
    for (const text of ["/api/v1/keys/{keyId}/rotate", "/api/v1/buckets", "Create a sub key", "bucketScope", "Retry-After", "/api/v1/openapi.json"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain("-u &quot;$KEYGATE_ACCESS_KEY_ID:$KEYGATE_SECRET&quot;");
    expect(html).toContain('id="UpdateSubKey"');
    // Organization operations show the token's Bearer header, master key operations HTTP Basic.
    expect(html).toContain('id="CreateMasterKey"');
    expect(html).toContain("-H &quot;Authorization: Bearer $KEYGATE_API_TOKEN&quot;");
    expect(html).toContain("/api/v1/projects/{projectId}/master-keys");
    expect(html).toContain(`aws s3 ls --endpoint-url ${listRegions()[0].endpoint}`);
  });
});
