/**
 * KEYGATE_SIGNUP: who may create an account and who may create an organization.
 *   open         anyone may sign up and create organizations
 *   invite-only  (default) accounts only for operators and invited addresses; organizations only
 *                by operators (CLI: keygate org create) - except on a fresh instance, whose very
 *                first account and organization are free so the embedded default works at once
 *   a.com,b.org  like open, but only for addresses in these domains (invited addresses too)
 * Existing users always sign in: the policy only decides new accounts.
 */
import type { Actor } from "./context";
import type { Db, Tx } from "../db";
import type { Env } from "../env";
import { forbidden } from "../errors";

export type SignupSettings = Pick<Env, "signup" | "operatorEmails">;

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

function inAllowedDomains(env: Pick<Env, "signup">, email: string): boolean {
  return env.signup.mode === "domains" && env.signup.domains.includes(domainOf(email));
}

const isOperator = (env: Pick<Env, "operatorEmails">, email: string) => env.operatorEmails.includes(email.toLowerCase());

/** May this address sign in (existing user) or get a new account? */
export async function mayCreateAccount(db: Tx, env: SignupSettings, email: string | null | undefined): Promise<boolean> {
  if (env.signup.mode === "open") return true;
  if (!email) return false;
  const address = email.trim().toLowerCase();
  if (await db.user.findFirst({ where: { email: { equals: address, mode: "insensitive" } }, select: { id: true } })) return true;
  if (isOperator(env, address) || inAllowedDomains(env, address)) return true;
  const invited = await db.invitation.findFirst({
    where: { email: address, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (invited) return true;
  return env.signup.mode === "invite-only" && (await db.user.count()) === 0;
}

/** Any fixed 64-bit number; "kgusers" in ASCII, so it is recognizable in pg_locks. */
const ACCOUNT_CREATION_LOCK = 0x6b6775736572n;

export type NewAccount = { email: string; name?: string | null; image?: string | null; emailVerified?: Date | null };

/**
 * Creates a user, checking KEYGATE_SIGNUP again inside the transaction, with creations taking
 * turns (an advisory lock). next-auth asks mayCreateAccount before it creates the account, but
 * not atomically with it: on a fresh invite-only instance two strangers whose links are used at
 * the same moment would both pass "no user yet". Here exactly one gets the free first account.
 */
export async function createAccount(db: Db, env: SignupSettings, data: NewAccount) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACCOUNT_CREATION_LOCK})`;
    if (!(await mayCreateAccount(tx, env, data.email))) {
      throw forbidden("New accounts on this instance need an invitation.");
    }
    return tx.user.create({ data: { email: data.email, name: data.name ?? null, image: data.image ?? null, emailVerified: data.emailVerified ?? null } });
  });
}

/** Null when the actor may create an organization, else the reason shown to them. */
export async function organizationCreationRefusal(db: Tx, env: SignupSettings, actor: Actor): Promise<string | null> {
  if (env.signup.mode === "open" || isOperator(env, actor.email)) return null;
  if (env.signup.mode === "domains") {
    return inAllowedDomains(env, actor.email) ? null : "New organizations can only be created with an address of an allowed domain. Ask an admin to invite you.";
  }
  if ((await db.organization.count()) === 0) return null;
  return "New organizations are created by the instance's operators. Ask an admin of an organization to invite you.";
}

export async function assertMayCreateOrganization(db: Tx, env: SignupSettings, actor: Actor): Promise<void> {
  const refusal = await organizationCreationRefusal(db, env, actor);
  if (refusal) throw forbidden(refusal);
}
