import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import type { AdapterUser } from "next-auth/adapters";
import { headers } from "next/headers";
import EmailProvider from "next-auth/providers/email";
import GitHubProvider from "next-auth/providers/github";
import { getDb } from "../db";
import { consumeSignInEmail } from "../email/limits";
import { clientIpFromHeaders } from "../net/client-ip";
import { authLogger, notingSessionOutages } from "./session-outage";
import { createAccount, mayCreateAccount } from "./signup-policy";
import { sendSignInEmail } from "../email/send";
import { getEnv } from "../env";
import { getMailer } from "../mailer";

let options: NextAuthOptions | undefined;

/** next-auth 4: database sessions through the Prisma adapter; email magic links; optional GitHub. */
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [
    EmailProvider({
      from: env.EMAIL_FROM,
      maxAge: 24 * 60 * 60,
      // Our own sender: react-email template through Resend or the local outbox.
      async sendVerificationRequest({ identifier, url }) {
        await sendSignInEmail(getMailer(), { to: identifier, url, host: new URL(url).host });
      },
    }),
  ];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  options = {
    // The generated Prisma 7 client has the delegates the adapter calls; only its type differs.
    adapter: notingSessionOutages({
      ...PrismaAdapter(getDb() as never),
      // The policy again, atomically with the creation (see createAccount).
      createUser: (user: Omit<AdapterUser, "id">) => createAccount(getDb(), env, user),
    }),
    providers,
    secret: env.NEXTAUTH_SECRET,
    logger: authLogger,
    session: { strategy: "database", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
    callbacks: {
      // KEYGATE_SIGNUP: runs before a sign-in email is sent and before an OAuth account is made.
      async signIn({ user, email }) {
        if (!(await mayCreateAccount(getDb(), env, user.email))) return "/signin?error=SignupClosed";
        // Only the step that sends a link counts against the email limits (not the link's use).
        if (email?.verificationRequest && user.email) {
          const ip = clientIpFromHeaders(await headers());
          if (!(await consumeSignInEmail(getDb(), { email: user.email, ip }))) return "/signin?error=EmailLimit";
        }
        return true;
      },
      session({ session, user }) {
        if (session.user) Object.assign(session.user, { id: user.id });
        return session;
      },
    },
  };
  return options;
}
