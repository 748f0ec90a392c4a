import { apiRoute } from "@/lib/api/handler";
import { listOrgMembers } from "@/lib/api/org-api";

export const GET = apiRoute("ListMembers", ({ db, caller }) => listOrgMembers(db, caller));
