import type { Tx } from "../db";
import { type EventPage, type EventScope, listEvents, loadKeyNames, loadOrgNames } from "./query";
import { filtersToSearchParams, hasFilters, pageLinks, safeParseEventFilters } from "./query-filters";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Everything an event page shows below its header, from the URL: the parsed filters (or
 * their errors), one keyset page, the names the sentences need and the links of the pager
 * and of the CSV export. Shared by the key, project, organization and operator views.
 */
export async function loadEventView(
  db: Tx,
  scope: EventScope,
  searchParams: SearchParams,
  opts: { base: string; exportPath: string; exportExtra?: Record<string, string>; withOrgNames?: boolean },
) {
  const parsed = safeParseEventFilters(searchParams);
  const page: EventPage = parsed.ok ? await listEvents(db, scope, parsed.filters) : { events: [], next: null, prev: null };
  const [keyNames, orgNames] = await Promise.all([
    loadKeyNames(db, page.events),
    opts.withOrgNames ? loadOrgNames(db, page.events) : Promise.resolve(undefined),
  ]);
  return {
    page,
    keyNames,
    orgNames,
    errors: parsed.ok ? undefined : parsed.fieldErrors,
    filtered: !parsed.ok || hasFilters(parsed.filters),
    ...pageLinks(opts.base, searchParams, page),
    exportHref: opts.exportPath + filtersToSearchParams(searchParams, { set: opts.exportExtra }),
  };
}
