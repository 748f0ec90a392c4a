import Link from "next/link";
import { EventFilters } from "@/components/events/event-filters";
import { EventList } from "@/components/events/event-list";
import { RequestsChart } from "@/components/events/requests-chart";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CurrentProject } from "@/components/shell/project-hint";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { dailyRequestCounts } from "@/lib/events/daily-counts";
import { loadEventView } from "@/lib/events/event-view";
import { resolveKeyEventScope } from "@/lib/events/scope";
import { EVENT_TYPES } from "@/lib/events/types";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ orgId: string; keyId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const KEY_EVENT_TYPES = EVENT_TYPES.filter((t) => t.startsWith("key."));

/** The events tab of a key: its management and S3 request events, a 30-day chart, filters and export. */
export default async function KeyEventsPage({ params, searchParams }: Props) {
  const [{ orgId, keyId }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgContext(orgId, "keys.use");
  const db = getDb();
  const { scope, key } = await orNotFound(resolveKeyEventScope(db, ctx, keyId));
  const base = `/orgs/${orgId}/keys/${key.id}`;
  const now = new Date();
  const [view, days] = await Promise.all([
    loadEventView(db, scope, query, { base: `${base}/events`, exportPath: `${base}/events/export` }),
    dailyRequestCounts(db, scope, { now }),
  ]);
  return (
    <div className="space-y-6">
      <CurrentProject id={key.projectId} />
      <PageHeader title={key.name} eyebrow={<Link className="hover:underline" href={base}>← Key details</Link>}
        description={<>Everything that happened to this key and every S3 request made with it (<span className="font-mono text-xs">{key.accessKeyId}</span>).</>} />
      <nav className="flex gap-1 border-b border-gray-200" aria-label="Key sections">
        <Link href={base} className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-gray-500 hover:text-gray-800">Details</Link>
        <Link href={`${base}/events`} aria-current="page" className="-mb-px border-b-2 border-blue-600 px-3 py-2 text-sm font-medium text-gray-900">Events</Link>
      </nav>
      <Card className="p-4"><RequestsChart days={days} /></Card>
      <EventFilters action={`${base}/events`} values={query} types={KEY_EVENT_TYPES} exportHref={view.exportHref} errors={view.errors} />
      <EventList events={view.page.events} keyNames={view.keyNames} prevHref={view.prevHref} nextHref={view.nextHref} now={now} filtered={view.filtered}
        emptyHint="Use this key with any S3 client (the endpoint is on the key’s details page): each request appears here, allowed or refused." />
    </div>
  );
}
