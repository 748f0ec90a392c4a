// keygate org create: an organization whose first ADMIN joins through an invitation email.
import { ROLE_LABELS } from "../lib/auth/permissions";
import type { Db } from "../lib/db";
import { createTransport, outboxPath } from "../lib/email/transport";
import type { Env } from "../lib/env";
import { writeEvent } from "../lib/events/write-event";
import { createOrganizationSchema } from "../lib/orgs/create-organization";
import { inviteMember, inviteMemberSchema } from "../lib/orgs/invitations";
import { type Command, jsonOption, out, requireString } from "./command";
import { withDatabase } from "./context";
import { operatorContext, systemActor } from "./operator";

export const orgCreateCommand: Command = {
  name: "org create",
  usage: "--name <name> --admin-email <email> [--json]",
  summary: "Create an organization and invite its first admin by email.",
  description: `
The organization starts without members: the admin joins by accepting the invitation (sent with
Resend when RESEND_API_KEY is set, otherwise written to the local outbox). Without Resend, the
accept URL is also printed here, for local use. Events record the change as made by "keygate CLI".`,
  options: {
    name: { type: "string", value: "name", description: "Organization name (2 to 64 characters)" },
    "admin-email": { type: "string", value: "email", description: "Email address of the first admin" },
    json: jsonOption,
  },
  examples: ["keygate org create --name Acme --admin-email alice@acme.example"],
  run: async ({ values }) => {
    const { name } = createOrganizationSchema.parse({ name: requireString(values, "name") });
    const { email } = inviteMemberSchema.parse({ email: requireString(values, "admin-email"), role: "ADMIN" });
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
