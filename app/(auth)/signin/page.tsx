import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getInvitationByToken } from "@/lib/orgs/invitations";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const NO_ACCOUNT = "No account was created: new accounts on this instance need an invitation. Ask an admin of your organization to invite you.";
const ERRORS: Record<string, string> = {
  Verification: "This sign-in link is invalid or has expired. Request a new one.",
  EmailSignin: "The sign-in email could not be sent. Try again.",
  SignupClosed: "This address has no account here, and new accounts need an invitation. Ask an admin of your organization to invite you.",
  // The account creation itself refused (KEYGATE_SIGNUP checked again as the account is made).
  EmailCreateAccount: NO_ACCOUNT,
  OAuthCreateAccount: NO_ACCOUNT,
  EmailLimit: "Too many sign-in emails were requested for this address or from your network. Wait a while, then try again; the last link you received still works.",
  default: "Sign-in failed. Try again.",
};

/** Only same-site paths are followed after sign-in (no open redirect through callbackUrl). */
const localPath = (url: string | undefined) => (url && url.startsWith("/") && !url.startsWith("//") ? url : "/");

/** Signing in to accept an invitation: name the organization and fill in the invited address. */
async function invitationFor(callbackUrl: string) {
  const token = callbackUrl.match(/^\/invite\/([A-Za-z0-9_-]+)$/)?.[1];
  if (!token) return undefined;
  try {
    const inv = await getInvitationByToken(getDb(), token);
    return { orgName: inv.org.name, email: inv.email };
  } catch {
    return undefined; // the invite page itself explains an expired or used link
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = localPath(params.callbackUrl);
  if (await getCurrentActor()) redirect(callbackUrl);
  const env = getEnv();
  const error = params.error ? (ERRORS[params.error] ?? ERRORS.default) : undefined;
  return (
    <SignInForm
      callbackUrl={callbackUrl}
      invitation={await invitationFor(callbackUrl)}
      error={error}
      github={Boolean(env.GITHUB_ID && env.GITHUB_SECRET)}
      outboxHint={env.RESEND_API_KEY ? undefined : "No email service is configured: the link is printed in the server console and written to the outbox file in the data directory."}
    />
  );
}
