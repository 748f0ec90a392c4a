import { KeyRound } from "lucide-react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { countActiveMasterKeys, listProjectKeys, parseKeyStatusFilter } from "@/lib/keys/list-keys";
import { listMembers } from "@/lib/orgs/members";
import { KeyStatusFilterNav } from "./key-status-filter";
import { PERMISSION_OPTIONS, PERMISSION_PRESET_OPTIONS } from "@/lib/keys/permission-options";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { listRegions } from "@/lib/storage/regions";
import { ProjectTabs } from "../project-tabs";
import { createMasterKeyAction, createSubKeyAction, importKeyAction } from "./actions";
import { ImportKeyForm } from "./import-key-form";
import { MasterKeyForm } from "./master-key-form";
import { KeySearchBox } from "./key-search-box";
import { KeyTable } from "./key-table";
import { SubKeyForm } from "./sub-key-form";

type Props = { params: Promise<{ orgId: string; projectId: string }>; searchParams: Promise<{ master?: string; sub?: string; q?: string; status?: string }> };

export const metadata = { title: "Keys" };

export default async function KeysPage({ params, searchParams }: Props) {
  const { orgId, projectId } = await params;
  const sp = await searchParams;
  const ctx = await requireOrgContext(orgId, "keys.use");
  const db = getDb();
  const project = await orNotFound(getProjectOrThrow(db, ctx, projectId));
  const admin = can(ctx.role, "keys.master");
  const status = parseKeyStatusFilter(sp.status);
  const [masters, activeMasters, subs, buckets, members] = await Promise.all([
    admin ? orNotFound(listProjectKeys(db, ctx, { projectId, kind: "MASTER", after: sp.master, q: sp.q, status })) : null,
    admin ? countActiveMasterKeys(db, ctx, projectId) : 0,
    orNotFound(listProjectKeys(db, ctx, { projectId, kind: "SUB", after: sp.sub, q: sp.q, status })),
    db.bucket.findMany({ where: { projectId }, select: { id: true, name: true, regionId: true }, orderBy: { name: "asc" } }),
    admin ? listMembers(db, ctx) : [],
  ]);
  // Admins may create a key for another member: master keys for admins, sub keys for anyone with key rights.
  const ownerOption = (m: (typeof members)[number]) => ({ id: m.user.id, email: m.user.email });
  const masterOwners = members.filter((m) => m.role === "ADMIN").map(ownerOption);
  const subOwners = members.filter((m) => m.role !== "MEMBER").map(ownerOption);
  const noneLabel = status === "all" ? "" : `${status} `;
  const regions = listRegions().map((r) => r.id);
  const base = `/orgs/${orgId}/projects/${projectId}/keys`;
  const page = (param: "master" | "sub", cursor: string | null) => (cursor ? `${base}?${new URLSearchParams({ ...sp, [param]: cursor })}` : undefined);
  const firstPage = status === "active" ? base : `${base}?status=${status}`;
  return (
    <div className="space-y-8">
      <PageHeader title={project.name} description="Keys that reach this project's buckets through the S3 gateway." />
      <ProjectTabs orgId={orgId} projectId={projectId} showKeys />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <KeyStatusFilterNav base={base} current={status} />
        <KeySearchBox action={base} q={sp.q} status={status} />
      </div>
      {masters && (
        <section className="space-y-3" aria-labelledby="master-keys">
          <h2 id="master-keys" className="text-sm font-semibold">Master keys</h2>
          {/* The form keeps its place in the tree whether or not the empty state shows, so the
              "save your secret" step survives the page refresh after the first key is created. */}
          {activeMasters === 0 && !sp.master && !sp.q && (
            <EmptyState icon={<KeyRound className="h-6 w-6" />} title="No active master key"
              description="A master key has full access to every bucket of this project, can create and delete buckets, and can manage sub keys through the API. Create one below." />
          )}
          <Card className="p-4"><MasterKeyForm action={createMasterKeyAction.bind(null, orgId, projectId)} regions={regions} owners={masterOwners} me={ctx.actor.userId} /></Card>
          {masters.keys.length > 0 ? (
            <KeyTable orgId={orgId} kind="MASTER" keys={masters.keys} nextHref={page("master", masters.next)} prevHref={sp.master ? firstPage : undefined} />
          ) : activeMasters > 0 || status !== "active" ? <p className="text-sm text-gray-500">No {noneLabel}master keys.</p> : null}
        </section>
      )}
      {admin && (
        <Card className="p-4">
          <ImportKeyForm action={importKeyAction.bind(null, orgId, projectId)} regions={regions} buckets={buckets} permissions={PERMISSION_OPTIONS}
            presets={PERMISSION_PRESET_OPTIONS} masterOwners={masterOwners} subOwners={subOwners} me={ctx.actor.userId} />
        </Card>
      )}
      <section className="space-y-3" aria-labelledby="sub-keys">
        <h2 id="sub-keys" className="text-sm font-semibold">Sub keys</h2>
        <Card className="p-4">
          <SubKeyForm action={createSubKeyAction.bind(null, orgId, projectId)} regions={regions} buckets={buckets}
            permissions={PERMISSION_OPTIONS} presets={PERMISSION_PRESET_OPTIONS} owners={subOwners} me={ctx.actor.userId} />
        </Card>
        {subs.keys.length === 0 && !sp.sub ? (
          <p className="text-sm text-gray-500">{sp.q ? `No ${noneLabel}sub key matches "${sp.q}".` : status === "active" ? "No active sub keys. Create one with “+ Create a sub key” above: it gets only the permissions and buckets you choose." : `No ${noneLabel}sub keys.`}</p>
        ) : (
          <KeyTable orgId={orgId} kind="SUB" keys={subs.keys} nextHref={page("sub", subs.next)} prevHref={sp.sub ? firstPage : undefined} />
        )}
      </section>
    </div>
  );
}
