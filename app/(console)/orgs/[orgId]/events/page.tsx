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

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The organization's events: everything for ADMIN, the events of their own keys for MEMBER_PLUS. */
export default async function OrgEventsPage({ params, searchParams }: Props) {
  const [{ orgId }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgContext(orgId);
  const db = getDb();
  const scope = await orNotFound(resolveOrgEventScope(db, ctx)); // MEMBER → 403
  const all = can(ctx.role, "events.read_all");
  const base = `/orgs/${orgId}/events`;
  const now = new Date();
  const [view, days, keyChoices] = await Promise.all([
    loadEventView(db, scope, query, { base, exportPath: `${base}/export` }),
    dailyRequestCounts(db, scope, { now }),
    listKeyChoices(db, ctx),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title="Events"
        description={all ? "Every change and S3 request in this organization, newest first." : "Changes and S3 requests of the keys you manage, newest first."} />
      <Card className="p-4"><RequestsChart days={days} /></Card>
      <EventFilters action={base} values={query} types={all ? EVENT_TYPES : EVENT_TYPES.filter((t) => t.startsWith("key."))}
        showKey showActor exportHref={view.exportHref} errors={view.errors} keyChoices={keyChoices} />
      <EventList events={view.page.events} keyNames={view.keyNames} showKey keyHref={(id) => `/orgs/${orgId}/keys/${id}`}
        prevHref={view.prevHref} nextHref={view.nextHref} now={now} filtered={view.filtered}
        emptyHint="Create a key on a project’s Keys page and use it with any S3 client: its requests and every change to it appear here." />
    </div>
  );
}
