import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { plainIp } from "@/lib/events/registry";
import { listOrgTokens, type OrgTokenStatus } from "@/lib/org-tokens/org-tokens";
import { createOrgTokenAction, revokeOrgTokenAction } from "./actions";
import { OrgTokenForm } from "./token-form";

export const metadata = { title: "API tokens" };

const STATUS: Record<OrgTokenStatus, BadgeVariant> = { Active: "success", Expired: "warning", Revoked: "danger" };

export default async function ApiTokensPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId, "members.manage");
  const tokens = await listOrgTokens(getDb(), ctx);
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader title="API tokens"
        description="Organization API tokens manage this organization's projects, buckets, members' roles and master keys through /api/v1, with the rights of the admin who created them. A token stops working when it expires, is revoked, or its creator is no longer an admin. Every use is recorded in the events." />
      <Card className="p-5"><OrgTokenForm action={createOrgTokenAction.bind(null, orgId)} /></Card>
      {tokens.length === 0 ? (
        <p className="text-sm text-gray-500">No API tokens yet.</p>
      ) : (
        <Table>
          <THead>
            <TRow><TH>Name</TH><TH>Status</TH><TH>Token</TH><TH>Created by</TH><TH>Expires</TH><TH>Last used</TH><TH><span className="sr-only">Actions</span></TH></TRow>
          </THead>
          <TBody>
            {tokens.map((t) => (
              <TRow key={t.id}>
                <TCell className="font-medium">{t.name}</TCell>
                <TCell><Badge variant={STATUS[t.status]}>{t.status}</Badge></TCell>
                <TCell className="font-mono text-xs">kgt_…{t.tokenLast4}</TCell>
                <TCell>{t.createdByEmail ?? "—"}</TCell>
                <TCell>{t.expiresAt.toISOString().slice(0, 10)}</TCell>
                <TCell><RelativeTime date={t.lastUsedAt} now={now} fallback="Never" />{t.lastUsedIp ? ` from ${plainIp(t.lastUsedIp)}` : ""}</TCell>
                <TCell className="text-right">
                  {t.status === "Active" && (
                    <ConfirmDialog trigger={<Button variant="ghost" size="sm">Revoke</Button>} title={`Revoke API token ${t.name}?`}
                      description="Calls with this token are refused from now on. This cannot be undone." confirmLabel="Revoke token" destructive
                      action={revokeOrgTokenAction.bind(null, orgId, t.id)} />
                  )}
                </TCell>
              </TRow>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
