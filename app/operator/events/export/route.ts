import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { exportInstanceEvents } from "@/lib/events/export-handlers";

export const dynamic = "force-dynamic";

/** CSV of the whole instance's filtered events, for operators (404 for everyone else). */
export async function GET(req: Request) {
  return exportInstanceEvents(getDb(), await getCurrentActor(), new URL(req.url).searchParams);
}
