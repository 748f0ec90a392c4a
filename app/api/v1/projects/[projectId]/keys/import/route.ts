import { importApiKey } from "@/lib/api/governance-api";
import { apiRoute } from "@/lib/api/handler";

// Organization API tokens only (Authorization: Bearer); see lib/api/governance-operations.ts.
export const POST = apiRoute("ImportKey", ({ db, caller, params, body }) => importApiKey(db, caller, params.projectId, body));
