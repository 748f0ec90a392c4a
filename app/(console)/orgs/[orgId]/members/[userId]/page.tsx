import Link from "next/link";
import { notFound } from "next/navigation";
import { RoleBadge, StatusBadge } from "@/components/ui/badge";
import { KeyFlagBadges } from "@/components/keys/key-flag-badges";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { listMemberKeys } from "@/lib/keys/member-keys";

export const metadata = { title: "Member" };

const KIND_LABELS = { MASTER: "Master", SUB: "Sub", USER: "Region key pair" } as const;

/** One member and every key they own in this organization, across projects. */
export default async function MemberPage({ params }: { params: Promise<{ orgId: string; userId: string }> }) {
  const { orgId, userId } = await params;
  const ctx = await requireOrgContext(orgId, "members.manage");
  const db = getDb();
  const member = await db.membership.findUnique({
    where: { orgId_userId: { orgId, userId } },
    select: { role: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
  if (!member) notFound();
  const keys = await listMemberKeys(db, ctx, userId);
  return (
    <div className="space-y-6">
      <PageHeader eyebrow={<Link href={`/orgs/${orgId}/members`} className="hover:underline">Members</Link>}
        title={member.user.name ?? member.user.email}
        description={<>{member.user.email} · <RoleBadge role={member.role} /> · joined {member.createdAt.toISOString().slice(0, 10)}</>} />
      <section aria-labelledby="member-keys" className="space-y-3">
        <h2 id="member-keys" className="text-sm font-semibold">Keys owned by {member.user.email}</h2>
        {keys.length === 0 ? (
          <EmptyState title="No keys" description="Create a key for this member from a project's Keys page and choose them as its owner." />
        ) : (
          <Table>
            <THead><TRow><TH>Name</TH><TH>Kind</TH><TH>Project</TH><TH>Region</TH><TH>Last used</TH><TH>Status</TH></TRow></THead>
            <TBody>
              {keys.map((k) => (
                <TRow key={k.id} data-testid={`member-key-${k.name}`}>
                  <TCell className="max-w-72">
                    <Link href={`/orgs/${orgId}/keys/${k.id}`} title={k.name} className="block truncate font-medium text-blue-700 hover:underline">{k.name}</Link>
                    <div className="font-mono text-xs text-gray-500">{k.accessKeyId}</div>
                  </TCell>
                  <TCell className="whitespace-nowrap">{KIND_LABELS[k.kind]}</TCell>
                  <TCell className="max-w-48"><Link href={`/orgs/${orgId}/projects/${k.project.id}/keys`} title={k.project.name} className="block truncate hover:underline">{k.project.name}</Link></TCell>
                  <TCell>{k.regionId}</TCell>
                  <TCell className="whitespace-nowrap"><RelativeTime date={k.lastUsedAt} fallback="Never" /></TCell>
                  <TCell><div className="flex flex-wrap items-center gap-1.5"><StatusBadge status={k.status} /><KeyFlagBadges {...k} /></div></TCell>
                </TRow>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}
