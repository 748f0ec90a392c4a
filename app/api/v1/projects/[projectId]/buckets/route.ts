import { apiRoute } from "@/lib/api/handler";
import { createOrgBucket, listOrgBuckets } from "@/lib/api/org-api";

export const GET = apiRoute("ListProjectBuckets", ({ db, caller, params }) => listOrgBuckets(db, caller, params.projectId));
export const POST = apiRoute("CreateProjectBucket", ({ db, caller, params, body }) => createOrgBucket(db, caller, params.projectId, body));
