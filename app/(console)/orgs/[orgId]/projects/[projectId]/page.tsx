import { Database } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { type BucketState, bucketStates } from "@/lib/buckets/bucket-states";
import { listBuckets } from "@/lib/buckets/buckets";
import { getDb } from "@/lib/db";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { getRegionStorage, listRegions } from "@/lib/storage/regions";
import { createBucketAction, deleteBucketAction, deleteProjectAction, renameProjectAction } from "./actions";
import { CreateBucketForm, RenameProjectForm } from "./project-forms";
import { ProjectTabs } from "./project-tabs";

type Params = { params: Promise<{ orgId: string; projectId: string }> };

export default async function ProjectPage({ params }: Params) {
  const { orgId, projectId } = await params;
  const ctx = await requireOrgContext(orgId);
  const db = getDb();
  const project = await orNotFound(getProjectOrThrow(db, ctx, projectId));
  const buckets = await listBuckets(db, ctx, projectId);
  const states = await bucketStates(buckets, getRegionStorage); // a region that is down shows "unknown"
  const admin = can(ctx.role, "buckets.manage");
  const regions = listRegions();
  return (
    <div className="space-y-6">
      <PageHeader title={project.name} description="Buckets of this project, per region." />
      <ProjectTabs orgId={orgId} projectId={projectId} showKeys={can(ctx.role, "keys.use")} />
      {admin && (
        <Card className="p-4">
          <CreateBucketForm action={createBucketAction.bind(null, orgId, projectId)} regions={regions.map((r) => r.id)} />
        </Card>
      )}
      {buckets.length === 0 ? (
        <EmptyState icon={<Database className="h-6 w-6" />} title="No buckets yet"
          description={admin ? "Create a bucket above; keys of this project can then reach it." : "An admin has not created any bucket in this project."} />
      ) : (
        <Table>
          <THead><TRow><TH>Bucket</TH><TH>Region</TH><TH>Versioning</TH><TH>Created</TH>{admin && <TH className="text-right">Actions</TH>}</TRow></THead>
          <TBody>
            {buckets.map((b) => (
              <TRow key={b.id}>
                <TCell className="font-mono text-sm">
                  {admin ? <Link className="text-blue-700 hover:underline" href={`/orgs/${orgId}/projects/${projectId}/buckets/${b.id}`}>{b.name}</Link> : b.name}
                </TCell>
                <TCell>{b.regionId}</TCell>
                <TCell><StateBadges state={states.get(b.id) ?? null} /></TCell>
                <TCell>{b.createdAt.toISOString().slice(0, 10)}</TCell>
                {admin && (
                  <TCell className="text-right">
                    <ConfirmDialog trigger={<Button variant="ghost" size="sm">Delete</Button>} title={`Delete bucket ${b.name}?`}
                      description="Only an empty bucket can be deleted. This cannot be undone." confirmLabel="Delete bucket" destructive
                      action={deleteBucketAction.bind(null, orgId, projectId, b.id)} />
                  </TCell>
                )}
              </TRow>
            ))}
          </TBody>
        </Table>
      )}
      {can(ctx.role, "projects.manage") && (
        <Card className="space-y-4 p-4">
          <h2 className="text-sm font-semibold">Project settings</h2>
          <RenameProjectForm action={renameProjectAction.bind(null, orgId, projectId)} name={project.name} />
          <ConfirmDialog trigger={<Button variant="danger" size="sm">Delete project</Button>} title={`Delete project ${project.name}?`}
            description="A project can be deleted once it has no buckets. Its keys are deleted with it." confirmLabel="Delete project" destructive
            action={deleteProjectAction.bind(null, orgId, projectId)} />
        </Card>
      )}
    </div>
  );
}

/** The bucket's versioning state and an Object Lock badge; "unknown" when its region did not answer. */
function StateBadges({ state }: { state: BucketState }) {
  if (!state) return <span className="text-xs text-gray-500" title="The region did not answer">unknown</span>;
  const variant = state.versioning === "Enabled" ? "success" : state.versioning === "Suspended" ? "warning" : "neutral";
  return (
    <span className="flex gap-1">
      <Badge variant={variant}>{state.versioning}</Badge>
      {state.objectLock && <Badge variant="accent">Object Lock</Badge>}
    </span>
  );
}
