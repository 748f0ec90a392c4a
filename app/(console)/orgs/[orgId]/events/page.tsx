import { EventFilters } from "@/components/events/event-filters";
import { EventList } from "@/components/events/event-list";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
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
  const view = await loadEventView(db, scope, query, { base, exportPath: `${base}/export` });
  return (
    <div className="space-y-6">
      <PageHeader title="Events"
        description={all ? "Every change and S3 request in this organization, newest first." : "Changes and S3 requests of the keys you manage, newest first."} />
      <EventFilters action={base} values={query} types={all ? EVENT_TYPES : EVENT_TYPES.filter((t) => t.startsWith("key."))}
        showKey showActor exportHref={view.exportHref} errors={view.errors} keyChoices={await listKeyChoices(db, ctx)} />
      <EventList events={view.page.events} keyNames={view.keyNames} showKey keyHref={(id) => `/orgs/${orgId}/keys/${id}`}
        prevHref={view.prevHref} nextHref={view.nextHref} filtered={view.filtered} />
    </div>
  );
}
