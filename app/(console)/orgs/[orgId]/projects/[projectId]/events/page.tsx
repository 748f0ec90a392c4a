import { EventFilters } from "@/components/events/event-filters";
import { EventList } from "@/components/events/event-list";
import { RequestsChart } from "@/components/events/requests-chart";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { dailyRequestCounts } from "@/lib/events/daily-counts";
import { loadEventView } from "@/lib/events/event-view";
import { resolveOrgEventScope } from "@/lib/events/scope";
import { EVENT_TYPES } from "@/lib/events/types";
import { listKeyChoices } from "@/lib/keys/list-keys";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { ProjectTabs } from "../project-tabs";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ orgId: string; projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** One project's events: everything for ADMIN, the events of their own keys for MEMBER_PLUS. */
export default async function ProjectEventsPage({ params, searchParams }: Props) {
  const [{ orgId, projectId }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgContext(orgId);
  const db = getDb();
  const project = await orNotFound(getProjectOrThrow(db, ctx, projectId));
  const scope = await orNotFound(resolveOrgEventScope(db, ctx, { projectId: project.id })); // MEMBER → 403
  const all = can(ctx.role, "events.read_all");
  const types = EVENT_TYPES.filter((t) => (all ? !t.startsWith("member.") && !t.startsWith("org.") : t.startsWith("key.")));
  const base = `/orgs/${orgId}/projects/${project.id}/events`;
  const now = new Date();
  const [view, days, keyChoices] = await Promise.all([
    loadEventView(db, scope, query, { base, exportPath: `/orgs/${orgId}/events/export`, exportExtra: { projectId: project.id } }),
    dailyRequestCounts(db, scope, { now }),
    listKeyChoices(db, ctx, project.id),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title={project.name}
        description={all ? "Every change and S3 request in this project, newest first." : "Changes and S3 requests of your keys in this project, newest first."} />
      <ProjectTabs orgId={orgId} projectId={project.id} showKeys={can(ctx.role, "keys.use")} />
      <Card className="p-4"><RequestsChart days={days} /></Card>
      <EventFilters action={base} values={query} types={types}
        showKey showActor exportHref={view.exportHref} errors={view.errors} keyChoices={keyChoices} />
      <EventList events={view.page.events} keyNames={view.keyNames} showKey keyHref={(id) => `/orgs/${orgId}/keys/${id}`}
        prevHref={view.prevHref} nextHref={view.nextHref} now={now} filtered={view.filtered}
        emptyHint="Create a key on a project’s Keys page and use it with any S3 client: its requests and every change to it appear here." />
    </div>
  );
}
