import { getDb } from "@/lib/db";
import { databaseReachable } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Readiness for load balancers and orchestrators: 200 when this web process can reach PostgreSQL. */
export async function GET() {
  if (await databaseReachable(getDb())) return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  return Response.json({ status: "database unavailable" }, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } });
}
