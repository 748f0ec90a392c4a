import { notFound } from "next/navigation";
import { EventFilters } from "@/components/events/event-filters";
import { EventList } from "@/components/events/event-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { loadEventView } from "@/lib/events/event-view";
import { INSTANCE_EVENT_SCOPE } from "@/lib/events/scope";
import { EVENT_TYPES } from "@/lib/events/types";
import { isOperator } from "@/lib/operators";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The events of the whole instance, with the same filters and export as the organization views. */
export default async function OperatorEventsPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isOperator(actor.email)) notFound();
  const query = await searchParams;
  const view = await loadEventView(getDb(), INSTANCE_EVENT_SCOPE, query, { base: "/operator/events", exportPath: "/operator/events/export", withOrgNames: true });
  return (
    <div className="space-y-6">
      <PageHeader title="Events" description="Every change and S3 request on this instance, newest first. Read-only." />
      <EventFilters action="/operator/events" values={query} types={EVENT_TYPES} showKey showActor showOrg exportHref={view.exportHref} errors={view.errors} />
      <EventList events={view.page.events} keyNames={view.keyNames} orgNames={view.orgNames} showKey
        prevHref={view.prevHref} nextHref={view.nextHref} filtered={view.filtered} />
    </div>
  );
}
