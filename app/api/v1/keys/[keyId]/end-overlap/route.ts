import { apiRoute } from "@/lib/api/handler";
import { endApiSubKeyOverlap } from "@/lib/api/sub-keys";

export const POST = apiRoute("EndSubKeyOverlap", ({ db, caller, params }) => endApiSubKeyOverlap(db, caller, params.keyId));
