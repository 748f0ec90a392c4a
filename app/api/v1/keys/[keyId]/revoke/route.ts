import { apiRoute } from "@/lib/api/handler";
import { revokeApiSubKey } from "@/lib/api/sub-keys";

export const POST = apiRoute("RevokeSubKey", ({ db, caller, params }) => revokeApiSubKey(db, caller, params.keyId));
