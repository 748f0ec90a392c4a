import Link from "next/link";
import { ScrollText } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime, formatAbsolute } from "@/components/ui/relative-time";
import { Pagination, Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import type { EventListRow } from "@/lib/events/query";
import { eventSubject } from "@/lib/events/query";
import { EVENT_REGISTRY, describeEvent } from "@/lib/events/registry";
import type { EventType } from "@/lib/events/types";

export type EventListProps = {
  events: EventListRow[];
  keyNames: Map<string, string>;
  /** Adds a Key column; with `keyHref`, names link to the key (not in the operator area). */
  showKey?: boolean;
  keyHref?: (keyId: string) => string;
  /** Adds an Organization column (operator area). */
  orgNames?: Map<string, string>;
  prevHref?: string | null;
  nextHref?: string | null;
  /** Reference time for relative dates, so one render is consistent. */
  now?: Date;
  filtered?: boolean;
  /** What to do to see events here, shown when there are none yet. */
  emptyHint?: string;
};

function OutcomeBadge({ type, outcome, status }: { type: string; outcome: string | null; status: number | null }) {
  // Management events (created, revoked, ...) are not requests: "Allowed" would mean nothing.
  if (type !== "key.request" && type !== "api.request") return <span className="text-gray-400" title="Not a request">—</span>;
  if (outcome === "denied") return <Badge variant="danger">Denied{status ? ` ${status}` : ""}</Badge>;
  if (status && status >= 400) return <Badge variant="warning">{status}</Badge>;
  return <Badge variant="success">Allowed</Badge>;
}

/** Events, newest first, each read as one sentence from the event registry. */
export function EventList({ events, keyNames, showKey, keyHref, orgNames, prevHref, nextHref, now = new Date(), filtered, emptyHint }: EventListProps) {
  if (events.length === 0 && !prevHref) {
    return (
      <EmptyState icon={<ScrollText className="h-6 w-6" />} title={filtered ? "No events match these filters" : "No events yet"}
        description={filtered ? "Change or reset the filters above." : emptyHint ?? "Key changes and S3 requests appear here as they happen."} />
    );
  }
  return (
    <div>
      <Table>
        <THead>
          <TRow>
            <TH className="w-36">Time</TH>
            <TH>Event</TH>
            {showKey && <TH>Key</TH>}
            {orgNames && <TH>Organization</TH>}
            <TH className="w-28">Outcome</TH>
          </TRow>
        </THead>
        <TBody>
          {events.map((e) => {
            const label = EVENT_REGISTRY[e.type as EventType]?.label ?? e.type;
            const who = e.actorEmail ?? (e.type === "key.request" ? e.userAgent : null);
            return (
              <TRow key={String(e.id)}>
                <TCell className="whitespace-nowrap text-[13px] text-gray-600" title={formatAbsolute(e.at)}>
                  <RelativeTime date={e.at} now={now} />
                </TCell>
                <TCell className="max-w-0 w-full">
                  {/* Long user agents, object keys and names wrap or truncate; the full value is on hover. */}
                  <div className="text-sm text-gray-900 [overflow-wrap:anywhere]">{describeEvent(e, eventSubject(e, keyNames))}</div>
                  <div className="mt-0.5 truncate text-xs text-gray-500" title={[label, who, e.requestId].filter(Boolean).join(" · ")}>
                    {label}{who ? ` · ${who}` : ""}{e.requestId ? ` · ${e.requestId}` : ""}
                  </div>
                </TCell>
                {showKey && (
                  <TCell className="text-[13px]">
                    <div className="max-w-40 truncate" title={e.keyId ? eventSubject(e, keyNames) : undefined}>
                      {!e.keyId ? <span className="text-gray-400">—</span> : keyHref ? (
                        <Link className="text-blue-700 hover:underline" href={keyHref(e.keyId)}>{eventSubject(e, keyNames)}</Link>
                      ) : eventSubject(e, keyNames)}
                    </div>
                  </TCell>
                )}
                {orgNames && <TCell className="text-[13px]"><div className="max-w-40 truncate" title={orgNames.get(e.orgId) ?? e.orgId}>{orgNames.get(e.orgId) ?? e.orgId}</div></TCell>}
                <TCell><OutcomeBadge type={e.type} outcome={e.outcome} status={e.status} /></TCell>
              </TRow>
            );
          })}
        </TBody>
      </Table>
      <Pagination prevHref={prevHref} nextHref={nextHref} label="Event pages"
        summary={events.length ? `Showing ${events.length} event${events.length === 1 ? "" : "s"}, newest first` : "No more events"} />
    </div>
  );
}
