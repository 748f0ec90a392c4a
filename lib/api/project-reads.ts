import type { z } from "zod";
import { listBuckets } from "../buckets/buckets";
import type { Db } from "../db";
import { badRequest } from "../errors";
import { listEvents } from "../events/query";
import type { ApiCaller } from "./authenticate";
import type { listBucketsQuery, listEventsQuery } from "./schemas";
import { assertOwnProject, getApiSubKeyOrThrow } from "./sub-keys";
import { toEventView } from "./views";

export async function listApiBuckets(db: Db, caller: ApiCaller, query: z.output<typeof listBucketsQuery>) {
  const projectId = assertOwnProject(caller, query.projectId);
  const buckets = await listBuckets(db, caller, projectId);
  return { buckets: buckets.map((b) => ({ id: b.id, name: b.name, regionId: b.regionId, createdAt: b.createdAt.toISOString() })) };
}

/** A sub key's events, newest first; the cursor is the id of the last event of the previous page. */
export async function listApiKeyEvents(db: Db, caller: ApiCaller, keyId: string, query: z.output<typeof listEventsQuery>) {
  const key = await getApiSubKeyOrThrow(db, caller, keyId);
  if (query.cursor !== undefined && !/^\d{1,19}$/.test(query.cursor)) throw badRequest("Invalid page cursor.", { cursor: ["Invalid page cursor."] });
  const before = query.cursor === undefined ? undefined : BigInt(query.cursor);
  const page = await listEvents(db, { kind: "key", orgId: caller.orgId, keyId: key.id }, { before }, query.limit);
  return { events: page.events.map((e) => toEventView(e, key.name)), nextCursor: page.next };
}
