import "server-only";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db";
import { DatabaseUnavailableError } from "../db-errors";
import { databaseReachable } from "../health";
import { clientIpFromHeaders } from "../net/client-ip";
import type { Actor } from "./context";
import { getAuthOptions } from "./options";
import { sessionLookupFailedRecently } from "./session-outage";

/** The signed-in user as an Actor (with request IP and user agent), or null. */
export async function getCurrentActor(): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) {
    await assertSessionNotLostToOutage();
    return null;
  }
  const user = await getDb().user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });
  if (!user) return null;
  const h = await headers();
  return { userId: user.id, name: user.name, email: user.email, ip: clientIpFromHeaders(h), userAgent: h.get("user-agent") };
}

export async function requireActor(): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect("/signin");
  return actor;
}

/**
 * next-auth reports a session it could not read (database down) as no session at all. With a
 * session cookie present, make sure the database answers before treating the visitor as signed
 * out: during an outage they get the "database unavailable" page, not the sign-in page. A lookup
 * that just failed for that reason (session-outage.ts) saves the probe.
 */
async function assertSessionNotLostToOutage(): Promise<void> {
  const jar = await cookies();
  const hasSessionCookie = jar.getAll().some((c) => /next-auth\.session-token$/.test(c.name));
  if (!hasSessionCookie) return;
  if (sessionLookupFailedRecently() || !(await databaseReachable(getDb(), 1000))) throw new DatabaseUnavailableError();
}
