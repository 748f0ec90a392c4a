import { apiRoute } from "@/lib/api/handler";
import { deleteOrgProject, renameOrgProject } from "@/lib/api/org-api";

export const PATCH = apiRoute("RenameProject", ({ db, caller, params, body }) => renameOrgProject(db, caller, params.projectId, body.name));
export const DELETE = apiRoute("DeleteProject", ({ db, caller, params }) => deleteOrgProject(db, caller, params.projectId));
