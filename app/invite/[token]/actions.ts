"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { acceptInvitation } from "@/lib/orgs/invitations";
import { runAction } from "@/lib/run-action";

export async function acceptInvitationAction(token: string): Promise<ActionResult> {
  const actor = await requireActor();
  const result = await runAction(() => acceptInvitation(getDb(), actor, token));
  if (result.ok) redirect(`/orgs/${result.data!.orgId}`);
  return result;
}
