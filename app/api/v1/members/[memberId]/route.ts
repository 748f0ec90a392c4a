import { apiRoute } from "@/lib/api/handler";
import { changeOrgMemberRole } from "@/lib/api/org-api";

export const PATCH = apiRoute("ChangeMemberRole", ({ db, caller, params, body }) => changeOrgMemberRole(db, caller, params.memberId, body.role));
