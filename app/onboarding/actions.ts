"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { createOrganization } from "@/lib/orgs/create-organization";
import { acceptInvitationById } from "@/lib/orgs/invitations";
import { formToObject, runAction } from "@/lib/run-action";

export async function createOrganizationAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const actor = await requireActor();
  const result = await runAction(() => createOrganization(getDb(), actor, formToObject(form) as { name: string }, getEnv()));
  if (result.ok) redirect(`/orgs/${result.data!.id}`);
  return result;
}

export async function joinInvitationAction(invitationId: string): Promise<ActionResult> {
  const actor = await requireActor();
  const result = await runAction(() => acceptInvitationById(getDb(), actor, invitationId));
  if (result.ok) redirect(`/orgs/${result.data!.orgId}`);
  return result;
}
