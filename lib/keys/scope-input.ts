import { z } from "zod";
import type { OrgContext } from "../auth/context";
import type { Tx } from "../db";
import { badRequest, forbidden } from "../errors";
import { parseCidrList } from "./cidr";
import { listField } from "./key-input";
import { isSubsetOf, permissionsForRole, sortPermissions, validatePermissions } from "./permissions";

/** The limits of a sub key as forms and the API send them. */
export const scopeInputSchema = z.object({
  permissions: listField,
  bucketScope: z.enum(["all", "selected"]).default("all"),
  bucketIds: listField,
  prefix: z.string().trim().max(1024, "Use at most 1024 characters.").optional().transform((v) => v || null),
  allowedCidrs: listField,
});
export type ScopeInput = z.output<typeof scopeInputSchema>;

/**
 * Validates a scope against the project and the creator: granular permissions need their
 * basic one, buckets must belong to the project and region, CIDRs must parse, and the set can
 * never exceed what the creator's role holds.
 */
export async function resolveScope(db: Tx, ctx: OrgContext, input: ScopeInput & { projectId: string; regionId: string }) {
  const permissionErrors = validatePermissions(input.permissions);
  if (permissionErrors.length) throw badRequest("Check the permissions.", { permissions: permissionErrors });
  if (!isSubsetOf(input.permissions, permissionsForRole(ctx.role))) throw forbidden("A key cannot carry more rights than its creator.");
  const cidrs = parseCidrList(input.allowedCidrs);
  if (!cidrs.ok) throw badRequest("Check the IP ranges.", { allowedCidrs: cidrs.errors });
  let bucketIds: string[] = [];
  if (input.bucketScope === "selected") {
    if (input.bucketIds.length === 0) throw badRequest("Choose at least one bucket.", { bucketIds: ["Choose at least one bucket."] });
    const found = await db.bucket.findMany({
      where: { id: { in: input.bucketIds }, projectId: input.projectId, regionId: input.regionId },
      select: { id: true },
    });
    if (found.length !== new Set(input.bucketIds).size) {
      throw badRequest("Some buckets are not in this project and region.", { bucketIds: ["Choose buckets of this project in the key's region."] });
    }
    bucketIds = found.map((b) => b.id);
  }
  return {
    permissions: sortPermissions(input.permissions), // stored in canonical order, whatever order was sent
    allBuckets: input.bucketScope === "all",
    bucketIds,
    prefix: input.prefix,
    allowedCidrs: cidrs.cidrs,
  };
}
