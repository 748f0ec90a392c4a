// The cores of the CSV export route handlers: session actor in, streamed CSV (or an error in
// the API's one shape) out. The route files only read the session and the URL.
import { z } from "zod";
import { type Actor, getOrgContext } from "../auth/context";
import type { Db } from "../db";
import { unauthorized } from "../errors";
import { requireOperator } from "../operators";
import { csvFileName, eventsCsv } from "./csv";
import { csvStreamResponse, exportErrorResponse } from "./export-response";
import { parseEventFilters } from "./query-filters";
import { INSTANCE_EVENT_SCOPE, resolveKeyEventScope, resolveOrgEventScope } from "./scope";

const idSchema = z.string().min(1).max(128);

async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    return exportErrorResponse(err);
  }
}

const signedIn = (actor: Actor | null): Actor => {
  if (!actor) throw unauthorized();
  return actor;
};

/** /orgs/:orgId/events/export[?projectId=…]: ADMIN all events, MEMBER_PLUS their keys', MEMBER 403. */
export function exportOrgEvents(db: Db, actor: Actor | null, orgId: string, search: URLSearchParams): Promise<Response> {
  return handle(async () => {
    const ctx = await getOrgContext(db, signedIn(actor), idSchema.parse(orgId));
    const projectId = search.get("projectId") ? idSchema.parse(search.get("projectId")) : undefined;
    const scope = await resolveOrgEventScope(db, ctx, { projectId });
    const filters = parseEventFilters(search);
    return csvStreamResponse(eventsCsv(db, scope, filters), csvFileName(projectId ? `project-${projectId}` : `org-${orgId}`));
  });
}

/** /orgs/:orgId/keys/:keyId/events/export: whoever may manage the key. */
export function exportKeyEvents(db: Db, actor: Actor | null, orgId: string, keyId: string, search: URLSearchParams): Promise<Response> {
  return handle(async () => {
    const ctx = await getOrgContext(db, signedIn(actor), idSchema.parse(orgId));
    const { scope, key } = await resolveKeyEventScope(db, ctx, idSchema.parse(keyId));
    const filters = parseEventFilters(search);
    return csvStreamResponse(eventsCsv(db, scope, filters), csvFileName(key.name));
  });
}

/** /operator/events/export: instance operators only (404 for everyone else). */
export function exportInstanceEvents(db: Db, actor: Actor | null, search: URLSearchParams, operatorEmails?: readonly string[]): Promise<Response> {
  return handle(async () => {
    requireOperator(signedIn(actor), operatorEmails);
    const filters = parseEventFilters(search);
    return csvStreamResponse(eventsCsv(db, INSTANCE_EVENT_SCOPE, filters), csvFileName("instance"));
  });
}
