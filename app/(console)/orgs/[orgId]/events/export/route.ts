import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { exportOrgEvents } from "@/lib/events/export-handlers";

export const dynamic = "force-dynamic";

/** CSV of the organization's (or, with ?projectId=, one project's) filtered events, streamed. */
export async function GET(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return exportOrgEvents(getDb(), await getCurrentActor(), orgId, new URL(req.url).searchParams);
}
