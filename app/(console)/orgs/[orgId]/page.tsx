import Link from "next/link";
import { FolderOpen } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TCell, THead, TRow, TH } from "@/components/ui/table";
import { requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listProjects } from "@/lib/projects/projects";
import { createProjectAction } from "./actions";
import { CreateProjectForm } from "./create-project-form";

export const metadata = { title: "Projects" };

export default async function ProjectsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId);
  const db = getDb();
  const [projects, bucketCounts] = await Promise.all([
    listProjects(db, ctx),
    db.bucket.groupBy({ by: ["projectId"], where: { project: { orgId } }, _count: true }),
  ]);
  const counts = new Map(bucketCounts.map((b) => [b.projectId, b._count]));
  const canManage = can(ctx.role, "projects.manage");
  return (
    <div className="space-y-6">
      <PageHeader title="Projects" description="A project groups buckets and the keys that reach them." />
      {canManage && <CreateProjectForm action={createProjectAction.bind(null, orgId)} />}
      {projects.length === 0 ? (
        <EmptyState
          icon={<FolderOpen className="h-6 w-6" />}
          title="No projects yet"
          description={canManage ? "Create your first project above." : "An admin has not created any project yet."}
        />
      ) : (
        <Table>
          <THead>
            <TRow><TH>Name</TH><TH>Buckets</TH><TH>Created</TH></TRow>
          </THead>
          <TBody>
            {projects.map((p) => (
              <TRow key={p.id}>
                <TCell><Link className="font-medium text-blue-700 hover:underline" href={`/orgs/${orgId}/projects/${p.id}`}>{p.name}</Link></TCell>
                <TCell>{counts.get(p.id) ?? 0}</TCell>
                <TCell>{p.createdAt.toISOString().slice(0, 10)}</TCell>
              </TRow>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
