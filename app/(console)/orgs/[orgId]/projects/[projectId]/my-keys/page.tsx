import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { IssueKeyButton } from "@/components/keys/issue-key-button";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { listMyRegionKeys } from "@/lib/keys/region-keys";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { ProjectTabs } from "../project-tabs";
import { createRegionKeyAction, resetRegionKeyAction } from "./actions";

type Params = { params: Promise<{ orgId: string; projectId: string }> };

export const metadata = { title: "My region keys" };

export default async function MyKeysPage({ params }: Params) {
  const { orgId, projectId } = await params;
  const ctx = await requireOrgContext(orgId, "keys.use");
  const db = getDb();
  const project = await orNotFound(getProjectOrThrow(db, ctx, projectId));
  const rows = await listMyRegionKeys(db, ctx, projectId);
  return (
    <div className="space-y-6">
      <PageHeader title={project.name} description="Your own key pair in each region. It acts with your role on this project's buckets in that region." />
      <ProjectTabs orgId={orgId} projectId={projectId} showKeys />
      <Table>
        <THead><TRow><TH>Region</TH><TH>Access key ID</TH><TH>Secret</TH><TH>Created</TH><TH>Last used</TH><TH className="text-right">Actions</TH></TRow></THead>
        <TBody>
          {rows.map(({ region, key }) => (
            <TRow key={region.id} data-testid={`region-row-${region.id}`}>
              <TCell className="font-medium">{region.id}</TCell>
              {key ? (
                <>
                  <TCell className="font-mono text-xs">{key.accessKeyId}</TCell>
                  <TCell className="font-mono text-xs" data-testid="secret-last4">••••{key.secretLast4}</TCell>
                  <TCell><RelativeTime date={key.createdAt} /></TCell>
                  <TCell>{key.lastUsedAt ? <RelativeTime date={key.lastUsedAt} /> : "Never"}</TCell>
                  <TCell className="text-right">
                    <IssueKeyButton action={resetRegionKeyAction.bind(null, orgId, projectId, region.id)} label="Reset" variant="secondary"
                      confirm={{ title: `Reset your key pair in ${region.id}?`, description: "A new pair is created and the existing keys stop working immediately.", confirmLabel: "Reset key pair" }} />
                  </TCell>
                </>
              ) : (
                <>
                  <TCell colSpan={4}><Badge variant="outline">Not configured</Badge></TCell>
                  <TCell className="text-right">
                    <IssueKeyButton action={createRegionKeyAction.bind(null, orgId, projectId, region.id)} label="Create" />
                  </TCell>
                </>
              )}
            </TRow>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
