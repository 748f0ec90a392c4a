import { apiRoute } from "@/lib/api/handler";
import { deleteOrgBucket } from "@/lib/api/org-api";

export const DELETE = apiRoute("DeleteProjectBucket", ({ db, caller, params }) => deleteOrgBucket(db, caller, params.projectId, params.bucketId));
