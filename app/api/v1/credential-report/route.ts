import { getApiCredentialReport } from "@/lib/api/governance-api";
import { apiRoute } from "@/lib/api/handler";

// Organization API tokens only (Authorization: Bearer); see lib/api/governance-operations.ts.
export const GET = apiRoute("GetCredentialReport", ({ db, caller, query }) => getApiCredentialReport(db, caller, query));
