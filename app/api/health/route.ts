import { GET as ready } from "./ready/route";

export const dynamic = "force-dynamic";

/** /api/health is readiness, as before: the same as /api/health/ready. */
export const GET = ready;
