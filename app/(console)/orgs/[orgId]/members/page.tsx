import { UserPlus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { requireOrgContext } from "@/lib/auth/page-context";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { listMembers } from "@/lib/orgs/members";
import { changeRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction } from "./actions";
import { InviteForm } from "./member-forms";
import { RoleForm } from "./role-form";
import Link from "next/link";
import { countLiveKeysByOwner } from "@/lib/keys/member-keys";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId, "members.manage");
  const db = getDb();
  const [members, invitations, liveKeys] = await Promise.all([listMembers(db, ctx), listPendingInvitations(db, ctx), countLiveKeysByOwner(db, ctx)]);
  const none = { MASTER: 0, SUB: 0, USER: 0 };
  return (
    <div className="space-y-6">
      <PageHeader title="Members" description="Admins manage members, projects, buckets and master keys. Member+ may use S3 keys. Members have no key access." />
      <Card className="p-4">
        <InviteForm action={inviteMemberAction.bind(null, orgId)} />
      </Card>
      <Table>
        <THead><TRow><TH>Member</TH><TH>Role</TH><TH>Active keys</TH><TH>Joined</TH><TH className="text-right">Actions</TH></TRow></THead>
        <TBody>
          {members.map((m) => (
            <TRow key={m.id} data-testid={`member-${m.user.email}`}>
              <TCell>
                <div className="max-w-72 truncate" title={m.user.name ? `${m.user.name} <${m.user.email}>` : m.user.email}>
                  <Link href={`/orgs/${orgId}/members/${m.user.id}`} className="font-medium text-blue-700 hover:underline">{m.user.name ?? m.user.email}</Link>
                </div>
                <div className="max-w-72 truncate text-xs text-gray-500" title={m.user.email}>{m.user.email}</div>
              </TCell>
              <TCell><RoleForm action={changeRoleAction.bind(null, orgId)} membershipId={m.id} email={m.user.email} role={m.role} liveKeys={liveKeys[m.user.id] ?? none} /></TCell>
              <TCell>{Object.values(liveKeys[m.user.id] ?? none).reduce((a, b) => a + b, 0)}</TCell>
              <TCell className="whitespace-nowrap">{m.createdAt.toISOString().slice(0, 10)}</TCell>
              <TCell className="text-right">
                <ConfirmDialog
                  trigger={<Button variant="ghost" size="sm">Remove</Button>}
                  title={`Remove ${m.user.email}?`}
                  description="They lose access to this organization at once, and every key they own here is revoked."
                  confirmLabel="Remove member"
                  destructive
                  action={removeMemberAction.bind(null, orgId, m.id)}
                />
              </TCell>
            </TRow>
          ))}
        </TBody>
      </Table>
      {members.length === 1 && invitations.length === 0 && (
        <EmptyState icon={<UserPlus className="h-6 w-6" />} title="Only you so far"
          description="Invite people with the form above: they get an email link and join with the role you choose. Admins can then create keys for them." />
      )}
      {invitations.length > 0 && (
        <section>
          <h2 className="mb-2 text-sm font-semibold">Pending invitations</h2>
          <Table>
            <THead><TRow><TH>Email</TH><TH>Role</TH><TH>Expires</TH><TH className="text-right">Actions</TH></TRow></THead>
            <TBody>
              {invitations.map((inv) => (
                <TRow key={inv.id}>
                  <TCell><div className="max-w-72 truncate" title={inv.email}>{inv.email}</div></TCell>
                  <TCell><Badge>{ROLE_LABELS[inv.role]}</Badge></TCell>
                  <TCell>{inv.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC</TCell>
                  <TCell className="text-right">
                    <ConfirmDialog
                      trigger={<Button variant="ghost" size="sm">Revoke</Button>}
                      title={`Revoke the invitation for ${inv.email}?`}
                      description="The link in the email stops working."
                      confirmLabel="Revoke invitation"
                      destructive
                      action={revokeInvitationAction.bind(null, orgId, inv.id)}
                    />
                  </TCell>
                </TRow>
              ))}
            </TBody>
          </Table>
        </section>
      )}
    </div>
  );
}
