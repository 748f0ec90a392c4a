import { apiRoute } from "@/lib/api/handler";
import { shareApiSubKey } from "@/lib/api/share-sub-key";

export const POST = apiRoute("ShareSubKey", ({ db, caller, params, body }) => shareApiSubKey(db, caller, params.keyId, body));
