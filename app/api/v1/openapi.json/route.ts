import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getEnv } from "@/lib/env";

/** Public: the reference of the management API, generated from the schemas it enforces. */
export function GET() {
  return Response.json(buildOpenApiDocument(getEnv().publicUrl), { headers: { "Access-Control-Allow-Origin": "*" } });
}
