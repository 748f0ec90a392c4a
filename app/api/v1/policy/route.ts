import { apiRoute } from "@/lib/api/handler";
import { getKeyPolicy, updateKeyPolicy } from "@/lib/policies/key-policy";

export const GET = apiRoute("GetKeyPolicy", ({ db, caller }) => getKeyPolicy(db, caller.orgId));
// Partial: fields not sent keep their value. A master key acts with its owner's (ADMIN) rights.
export const PATCH = apiRoute("UpdateKeyPolicy", async ({ db, caller, body }) =>
  updateKeyPolicy(db, caller, { ...(await getKeyPolicy(db, caller.orgId)), ...body }));
