import { redirect } from "next/navigation";
import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listUserOrganizations } from "@/lib/orgs/create-organization";

export const dynamic = "force-dynamic";

/** Landing: the first organization, or onboarding (which shows pending invitations, or sends operators to /operator). */
export default async function Home() {
  const actor = await getCurrentActor();
  if (!actor) redirect("/signin");
  const orgs = await listUserOrganizations(getDb(), actor.userId);
  redirect(orgs.length ? `/orgs/${orgs[0].id}` : "/onboarding");
}
