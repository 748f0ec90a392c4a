import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db";
import { clientIpFromHeaders } from "../net/client-ip";
import type { Actor } from "./context";
import { getAuthOptions } from "./options";

/** The signed-in user as an Actor (with request IP and user agent), or null. */
export async function getCurrentActor(): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
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
