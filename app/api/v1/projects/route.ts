import { apiRoute } from "@/lib/api/handler";
import { createOrgProject, listOrgProjects } from "@/lib/api/org-api";

// Organization API tokens only (Authorization: Bearer); see lib/api/org-operations.ts.
export const GET = apiRoute("ListProjects", ({ db, caller }) => listOrgProjects(db, caller));
export const POST = apiRoute("CreateProject", ({ db, caller, body }) => createOrgProject(db, caller, body.name));
