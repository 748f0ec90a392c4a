import "server-only";
import { forbidden, notFound } from "next/navigation";
import { getDb } from "../db";
import { isAppError } from "../errors";
import { type OrgContext, getOrgContext } from "./context";
import { can, type Permission } from "./permissions";
import { requireActor } from "./session";

/**
 * For pages and actions: the signed-in actor's context in an organization. Not signed in →
 * sign-in page; not a member → 404; lacking the permission → 403.
 */
export async function requireOrgContext(orgId: string, permission?: Permission): Promise<OrgContext> {
  const actor = await requireActor();
  let ctx: OrgContext;
  try {
    ctx = await getOrgContext(getDb(), actor, orgId);
  } catch (err) {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  }
  if (permission && !can(ctx.role, permission)) forbidden();
  return ctx;
}

/**
 * Maps AppError 404/403 thrown by lib/ reads inside a page to Next's not-found / forbidden pages;
 * a 400 too (a malformed page cursor in the address): there is no such page.
 */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (isAppError(err) && (err.status === 404 || err.status === 400)) notFound();
    if (isAppError(err) && err.status === 403) forbidden();
    throw err;
  }
}
