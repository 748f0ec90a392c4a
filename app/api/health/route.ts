import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** For load balancers: 200 when the web process can reach PostgreSQL. */
export async function GET() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
}
