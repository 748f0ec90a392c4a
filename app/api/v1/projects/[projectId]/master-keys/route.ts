import { apiRoute } from "@/lib/api/handler";
import { createOrgMasterKey, listOrgMasterKeys } from "@/lib/api/org-api";

export const GET = apiRoute("ListMasterKeys", ({ db, caller, params }) => listOrgMasterKeys(db, caller, params.projectId));
export const POST = apiRoute("CreateMasterKey", ({ db, caller, params, body }) => createOrgMasterKey(db, caller, params.projectId, body));
