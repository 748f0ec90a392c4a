import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentActor } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  Verification: "This sign-in link is invalid or has expired. Request a new one.",
  EmailSignin: "The sign-in email could not be sent. Try again.",
  SignupClosed: "This address has no account here, and new accounts need an invitation. Ask an admin of your organization to invite you.",
  EmailLimit: "Too many sign-in emails were requested for this address or from your network. Wait a while, then try again; the last link you received still works.",
  default: "Sign-in failed. Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (await getCurrentActor()) redirect("/");
  const params = await searchParams;
  const env = getEnv();
  const error = params.error ? (ERRORS[params.error] ?? ERRORS.default) : undefined;
  return (
    <SignInForm
      callbackUrl={params.callbackUrl ?? "/"}
      error={error}
      github={Boolean(env.GITHUB_ID && env.GITHUB_SECRET)}
      outboxHint={env.RESEND_API_KEY ? undefined : "No email service is configured: the link is printed in the server console and written to the outbox file in the data directory."}
    />
  );
}
