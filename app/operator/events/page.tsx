import { notFound } from "next/navigation";
import { EventFilters } from "@/components/events/event-filters";
import { EventList } from "@/components/events/event-list";
import { RequestsChart } from "@/components/events/requests-chart";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { dailyRequestCounts } from "@/lib/events/daily-counts";
import { loadEventView } from "@/lib/events/event-view";
import { INSTANCE_EVENT_SCOPE } from "@/lib/events/scope";
import { EVENT_TYPES } from "@/lib/events/types";
import { isOperator, listInstanceKeyChoices } from "@/lib/operators";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The events of the whole instance, with the same filters and export as the organization views. */
export default async function OperatorEventsPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isOperator(actor.email)) notFound();
  const query = await searchParams;
  const db = getDb();
  const now = new Date();
  const orgId = typeof query.orgId === "string" && query.orgId ? query.orgId : undefined;
  // The chart follows the organization filter: the instance's requests, or one organization's.
  const chartScope = orgId ? { kind: "org" as const, orgId } : INSTANCE_EVENT_SCOPE;
  const [view, days, keySuggestions] = await Promise.all([
    loadEventView(db, INSTANCE_EVENT_SCOPE, query, { base: "/operator/events", exportPath: "/operator/events/export", withOrgNames: true }),
    dailyRequestCounts(db, chartScope, { now }),
    listInstanceKeyChoices(db, orgId),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title="Events" description="Every change and S3 request on this instance, newest first. Read-only." />
      <Card className="p-4"><RequestsChart days={days} /></Card>
      <EventFilters action="/operator/events" values={query} types={EVENT_TYPES} showKey showActor showOrg exportHref={view.exportHref}
        errors={view.errors} keySuggestions={keySuggestions} />
      <EventList events={view.page.events} keyNames={view.keyNames} orgNames={view.orgNames} showKey
        prevHref={view.prevHref} nextHref={view.nextHref} now={now} filtered={view.filtered}
        emptyHint="Changes and S3 requests of every organization appear here once people create keys and use them." />
    </div>
  );
}
