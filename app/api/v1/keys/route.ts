import { apiRoute } from "@/lib/api/handler";
import { createApiSubKey, listApiSubKeys } from "@/lib/api/sub-keys";

export const GET = apiRoute("ListSubKeys", ({ db, caller, query }) => listApiSubKeys(db, caller, query));
export const POST = apiRoute("CreateSubKey", ({ db, caller, body }) => createApiSubKey(db, caller, body));
