export const dynamic = "force-dynamic";

/** Liveness: the web process answers. Never touches the database (a database outage must not get it restarted). */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
