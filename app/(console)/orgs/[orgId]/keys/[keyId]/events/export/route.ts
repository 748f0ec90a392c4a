import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { exportKeyEvents } from "@/lib/events/export-handlers";

export const dynamic = "force-dynamic";

/** CSV of one key's filtered events, streamed. */
export async function GET(req: Request, { params }: { params: Promise<{ orgId: string; keyId: string }> }) {
  const { orgId, keyId } = await params;
  return exportKeyEvents(getDb(), await getCurrentActor(), orgId, keyId, new URL(req.url).searchParams);
}
