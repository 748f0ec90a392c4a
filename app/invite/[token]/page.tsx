import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { getInvitationByToken } from "@/lib/orgs/invitations";
import { acceptInvitationAction } from "./actions";
import { AcceptButton } from "./accept-button";

export const metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await getCurrentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
  let body: React.ReactNode;
  try {
    const inv = await getInvitationByToken(getDb(), token);
    body = (
      <>
        <h1 className="text-base font-semibold">Join {inv.org.name}</h1>
        <p className="mt-2 text-sm text-gray-600">
          You were invited as <strong>{ROLE_LABELS[inv.role]}</strong>. The invitation was sent to {inv.email}; you are signed in as {actor.email}.
        </p>
        <AcceptButton action={acceptInvitationAction.bind(null, token)} />
      </>
    );
  } catch (err) {
    if (!isAppError(err)) throw err;
    body = (
      <>
        <h1 className="text-base font-semibold">Invitation unavailable</h1>
        <p role="alert" className="mt-2 text-sm text-gray-600">{err.message}</p>
      </>
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 px-4">
      <Card className="w-full max-w-md p-6">{body}</Card>
    </main>
  );
}
