import { apiRoute } from "@/lib/api/handler";
import { revokeOrgMasterKey } from "@/lib/api/org-api";

export const POST = apiRoute("RevokeMasterKey", ({ db, caller, params }) => revokeOrgMasterKey(db, caller, params.projectId, params.keyId));
