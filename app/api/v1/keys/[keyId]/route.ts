import { apiRoute } from "@/lib/api/handler";
import { readSubKey, updateApiSubKey } from "@/lib/api/sub-keys";

export const GET = apiRoute("GetSubKey", ({ db, caller, params }) => readSubKey(db, caller, params.keyId));
export const PATCH = apiRoute("UpdateSubKey", ({ db, caller, params, body }) => updateApiSubKey(db, caller, params.keyId, body));
