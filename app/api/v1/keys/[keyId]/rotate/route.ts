import { apiRoute } from "@/lib/api/handler";
import { rotateApiSubKey } from "@/lib/api/sub-keys";

export const POST = apiRoute("RotateSubKey", ({ db, caller, params, body }) => rotateApiSubKey(db, caller, params.keyId, body.overlap));
