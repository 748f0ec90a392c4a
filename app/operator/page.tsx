import Link from "next/link";
import { notFound } from "next/navigation";
import { Building2 } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { isOperator, listOrganizationsOverview } from "@/lib/operators";

export const dynamic = "force-dynamic";

/** Every organization of the instance with its members, projects and keys by status. */
export default async function OperatorPage() {
  const actor = await requireActor();
  if (!isOperator(actor.email)) notFound();
  const orgs = await listOrganizationsOverview(getDb());
  return (
    <div className="space-y-6">
      <PageHeader title="Organizations" description="Every organization on this instance. Read-only." />
      {orgs.length === 0 ? (
        <EmptyState icon={<Building2 className="h-6 w-6" />} title="No organizations yet"
          description="An organization appears here once someone signs in and creates one. You can create one yourself."
          action={<Link className={buttonClasses({ variant: "secondary", size: "sm" })} href="/onboarding?create">Create an organization</Link>} />
      ) : (
        <Table>
          <THead>
            <TRow>
              <TH>Organization</TH><TH className="text-right">Members</TH><TH className="text-right">Projects</TH>
              <TH className="text-right">Active keys</TH><TH className="text-right">Disabled</TH><TH className="text-right">Expired</TH><TH className="text-right">Revoked</TH>
              <TH>Created</TH><TH className="text-right"><span className="sr-only">Events</span></TH>
            </TRow>
          </THead>
          <TBody>
            {orgs.map((o) => (
              <TRow key={o.id}>
                <TCell><div className="font-medium">{o.name}</div><div className="font-mono text-xs text-gray-500">{o.id}</div></TCell>
                <TCell className="text-right tabular-nums">{o.members}</TCell>
                <TCell className="text-right tabular-nums">{o.projects}</TCell>
                <TCell className="text-right tabular-nums">{o.active}</TCell>
                <TCell className="text-right tabular-nums">{o.disabled}</TCell>
                <TCell className="text-right tabular-nums">{o.expired}</TCell>
                <TCell className="text-right tabular-nums">{o.revoked}</TCell>
                <TCell className="whitespace-nowrap">{o.createdAt.toISOString().slice(0, 10)}</TCell>
                <TCell className="text-right">
                  <Link className="text-sm text-blue-700 hover:underline" href={`/operator/events?orgId=${encodeURIComponent(o.id)}`}>Events</Link>
                </TCell>
              </TRow>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
