import { getApiCredentialReportCsv } from "@/lib/api/governance-api";
import { apiRoute } from "@/lib/api/handler";

// Organization API tokens only (Authorization: Bearer); the console page's cells as CSV.
export const GET = apiRoute("GetCredentialReportCsv", ({ db, caller, query }) => getApiCredentialReportCsv(db, caller, query));
