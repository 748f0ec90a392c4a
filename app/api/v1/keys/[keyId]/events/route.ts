import { apiRoute } from "@/lib/api/handler";
import { listApiKeyEvents } from "@/lib/api/project-reads";

export const GET = apiRoute("ListSubKeyEvents", ({ db, caller, params, query }) => listApiKeyEvents(db, caller, params.keyId, query));
