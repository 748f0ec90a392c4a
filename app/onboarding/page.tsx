import Link from "next/link";
import { redirect } from "next/navigation";
import { AcceptInvitationButton } from "@/components/orgs/accept-invitation-button";
import { Card } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { organizationCreationRefusal } from "@/lib/auth/signup-policy";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { listUserOrganizations } from "@/lib/orgs/create-organization";
import { listInvitationsForEmail } from "@/lib/orgs/invitations";
import { isOperator } from "@/lib/operators";
import { joinInvitationAction } from "./actions";
import { CreateOrganizationForm } from "./create-organization-form";

export const metadata = { title: "Get started" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ create?: string }> }) {
  const actor = await requireActor();
  const db = getDb();
  const [orgs, invitations, { create }] = await Promise.all([listUserOrganizations(db, actor.userId), listInvitationsForEmail(db, actor.email), searchParams]);
  const refusal = await organizationCreationRefusal(db, getEnv(), actor);
  const operator = isOperator(actor.email);
  // An operator without an organization has nothing to create here: their place is the operator area.
  if (operator && !orgs.length && !invitations.length && create === undefined) redirect("/operator");
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 px-4 py-10">
      <div className="w-full max-w-md space-y-4">
        {invitations.length > 0 && (
          <Card className="p-6" aria-labelledby="invitations-heading">
            <h1 id="invitations-heading" className="text-base font-semibold">You have been invited</h1>
            <p className="mt-1 text-sm text-gray-500">Join an organization that invited {actor.email}.</p>
            <ul className="mt-4 divide-y divide-gray-100">
              {invitations.map((inv) => (
                <li key={inv.id} data-testid={`invitation-${inv.org.name}`} className="flex items-center justify-between gap-3 py-3">
                  <div className="min-w-0">
                    <div className="truncate font-medium" title={inv.org.name}>{inv.org.name}</div>
                    <div className="text-xs text-gray-500">as {ROLE_LABELS[inv.role]}</div>
                  </div>
                  <AcceptInvitationButton action={joinInvitationAction.bind(null, inv.id)} label={`Join ${inv.org.name}`} className="shrink-0" />
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card className="p-6">
          {invitations.length > 0 ? (
            <h2 className="text-base font-semibold">Or create your own organization</h2>
          ) : (
            <h1 className="text-base font-semibold">{orgs.length ? "Create another organization" : "Welcome to Keygate"}</h1>
          )}
          <p className="mt-1 text-sm text-gray-500">
            An organization holds your projects, buckets and keys. You will be its admin and can invite your team next.
            {!orgs.length && !invitations.length && " Expecting an invitation? Ask your admin to invite " + actor.email + "; it will show here."}
          </p>
          {refusal ? <p role="status" className="mt-4 rounded-md bg-gray-100 p-3 text-sm text-gray-700">{refusal}</p> : <CreateOrganizationForm />}
          {orgs.length > 0 && (
            <Link href={`/orgs/${orgs[0].id}`} className="mt-4 inline-block text-sm text-blue-600 hover:underline">Back to {orgs[0].name}</Link>
          )}
        </Card>
        {operator && (
          <p className="text-center text-sm"><Link href="/operator" className="text-blue-600 hover:underline">Go to the operator area</Link></p>
        )}
      </div>
    </main>
  );
}
