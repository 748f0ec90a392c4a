// keygate org create: an organization with its first ADMIN, added directly (no browser needed) or
// invited by email (--invite).
import { ROLE_LABELS } from "../lib/auth/permissions";
import type { Db } from "../lib/db";
import { createTransport, outboxPath } from "../lib/email/transport";
import type { Env } from "../lib/env";
import { writeEvent } from "../lib/events/write-event";
import { createOrganizationSchema, createOrganizationWithAdmin } from "../lib/orgs/create-organization";
import { inviteMember, inviteMemberSchema } from "../lib/orgs/invitations";
import { type Command, jsonOption, out, requireString, stringValue, UsageError } from "./command";
import { withDatabase } from "./context";
import { operatorContext, systemActor } from "./operator";

export const orgCreateCommand: Command = {
  name: "org create",
  usage: "--name <name> --admin-email <email> [--admin-name <name>] [--invite] [--json]",
  summary: "Create an organization with its first admin (or invite the admin by email).",
  description: `
By default the admin becomes a member at once: a user with that email is found or created, and
signs in with that address as usual. Keys, projects and API tokens can be created for the
organization right away, without a browser.
With --invite, the organization starts without members instead and the admin joins by accepting
an invitation (sent with Resend when RESEND_API_KEY is set, otherwise written to the local
outbox, and the accept URL printed here). Events record the change as made by "keygate CLI".`,
  options: {
    name: { type: "string", value: "name", description: "Organization name (2 to 64 characters)" },
    "admin-email": { type: "string", value: "email", description: "Email address of the first admin" },
    "admin-name": { type: "string", value: "name", description: "The admin's display name, for a new user" },
    invite: { type: "boolean", description: "Invite the admin by email instead of adding them directly" },
    json: jsonOption,
  },
  examples: [
    "keygate org create --name Acme --admin-email alice@acme.example --json",
    "keygate org create --name Acme --admin-email alice@acme.example --invite",
  ],
  run: async ({ values }) => {
    const { name } = createOrganizationSchema.parse({ name: requireString(values, "name") });
    const { email } = inviteMemberSchema.parse({ email: requireString(values, "admin-email"), role: "ADMIN" });
    if (!values.invite) {
      const adminName = stringValue(values, "admin-name");
      return withDatabase(async ({ db }) => {
        const { org, admin } = await createOrganizationWithAdmin(db, systemActor(), { name, adminEmail: email, adminName });
        const result = { organization: { id: org.id, name: org.name }, admin: { ...admin, role: "ADMIN" as const } };
        if (values.json) return out.json(result);
        out.line(`Created organization "${org.name}" (id ${org.id}).`);
        out.line(`${admin.email} is its admin (user id ${admin.id}); they sign in with that address.`);
      });
    }
    if (values["admin-name"] !== undefined) throw new UsageError("--admin-name applies without --invite only (the invitee chooses their name).");
    return withDatabase(async ({ env, db }) => {
      const result = await createOrgWithAdminInvite(db, env, name, email);
      if (values.json) out.json(result);
      else printResult(result);
      return result.email.error ? 1 : 0;
    });
  },
};

type Result = Awaited<ReturnType<typeof createOrgWithAdminInvite>>;

async function createOrgWithAdminInvite(db: Db, env: Env, name: string, email: string) {
  const actor = systemActor();
  // lib/orgs createOrganization makes its caller the first ADMIN; here the admin is invited instead,
  // so the organization is created without a member, with the same event.
  const org = await db.$transaction(async (tx) => {
    const created = await tx.organization.create({ data: { name } });
    await writeEvent(tx, { type: "org.created", orgId: created.id, actor, data: { name } });
    return created;
  });
  const { invitation, token } = await inviteMember(db, operatorContext(org.id), { email, role: "ADMIN" }, env.KEYGATE_INVITE_TTL_HOURS);
  const acceptUrl = `${env.publicUrl}/invite/${token}`;
  const transport = createTransport({ resendApiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, outboxDir: env.dataDir, log: () => {} });
  // Loaded on demand: rendering the email templates costs most of a second of start-up.
  const { sendInvitationEmail } = await import("../lib/email/send");
  const sent = await sendInvitationEmail(transport, {
    to: email, orgName: org.name, inviterName: actor.name ?? "keygate CLI", inviterEmail: actor.email, role: ROLE_LABELS.ADMIN, acceptUrl, expiresAt: invitation.expiresAt,
  }).then((r) => ({ transport: r.transport, id: r.id, error: null }), (err: Error) => ({ transport: transport.kind, id: null, error: err.message }));
  // The token exists only now: print the link when the email is local-only or could not be sent,
  // so the operator can pass it on. With Resend working, it travels only in the email.
  const showUrl = transport.kind === "outbox" || sent.error !== null;
  return {
    organization: { id: org.id, name: org.name },
    invitation: { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() },
    email: { ...sent, outbox: transport.kind === "outbox" ? outboxPath(env.dataDir) : null },
    acceptUrl: showUrl ? acceptUrl : null,
  };
}

function printResult(r: Result): void {
  out.line(`Created organization "${r.organization.name}" (id ${r.organization.id}).`);
  out.line(`Invited ${r.invitation.email} as its first admin; the invitation expires ${r.invitation.expiresAt}.`);
  if (r.email.error) {
    out.note(`keygate: the invitation email could not be sent: ${r.email.error}`);
    out.note("Send the accept URL below to the admin yourself, or invite again from the console.");
  } else if (r.email.outbox) {
    out.line(`Email: written to the local outbox ${r.email.outbox} (RESEND_API_KEY is not set).`);
  } else {
    out.line(`Email: sent with Resend (id ${r.email.id}).`);
  }
  if (r.acceptUrl) out.line(`Accept URL: ${r.acceptUrl}`);
}
