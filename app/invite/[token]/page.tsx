import Link from "next/link";
import { redirect } from "next/navigation";
import { AcceptInvitationButton } from "@/components/orgs/accept-invitation-button";
import { Card } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { getInvitationByToken } from "@/lib/orgs/invitations";
import { acceptInvitationAction } from "./actions";
import { SwitchAccountButton } from "./switch-account-button";

export const metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await getCurrentActor();
  const here = `/invite/${token}`;
  // Signed out: the sign-in page names the organization and fills in the invited address.
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(here)}`);
  let body: React.ReactNode;
  try {
    const inv = await getInvitationByToken(getDb(), token);
    const sameUser = inv.email.toLowerCase() === actor.email.toLowerCase();
    body = (
      <>
        <h1 className="text-base font-semibold">Join {inv.org.name}</h1>
        <p className="mt-2 text-sm text-gray-600">
          {inv.org.name} invited <strong>{inv.email}</strong> as <strong>{ROLE_LABELS[inv.role]}</strong>.
        </p>
        {sameUser ? (
          <AcceptInvitationButton action={acceptInvitationAction.bind(null, token)} className="mt-4" />
        ) : (
          <div role="alert" className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            You are signed in as <strong>{actor.email}</strong>. Only {inv.email} can accept this invitation.
            <SwitchAccountButton callbackUrl={`/signin?callbackUrl=${encodeURIComponent(here)}`} email={inv.email} />
          </div>
        )}
      </>
    );
  } catch (err) {
    if (!isAppError(err)) throw err;
    body = (
      <>
        <h1 className="text-base font-semibold">Invitation unavailable</h1>
        <p role="alert" className="mt-2 text-sm text-gray-600">{err.message}</p>
        <Link href="/" className="mt-4 inline-block text-sm text-blue-600 hover:underline">Go to the console</Link>
      </>
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 px-4">
      <Card className="w-full max-w-md p-6">{body}</Card>
    </main>
  );
}
