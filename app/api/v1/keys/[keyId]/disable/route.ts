import { apiRoute } from "@/lib/api/handler";
import { setApiSubKeyDisabled } from "@/lib/api/sub-keys";

export const POST = apiRoute("DisableSubKey", ({ db, caller, params }) => setApiSubKeyDisabled(db, caller, params.keyId, true));
