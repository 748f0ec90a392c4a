import { apiRoute } from "@/lib/api/handler";
import { listApiBuckets } from "@/lib/api/project-reads";

export const GET = apiRoute("ListBuckets", ({ db, caller, query }) => listApiBuckets(db, caller, query));
