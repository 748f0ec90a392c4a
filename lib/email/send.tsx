/**
 * Typed senders: render a template to HTML + plain text, then hand it to a transport.
 * Each sender copies only the fields its template needs, so nothing else a caller
 * passes (e.g. a key's secret) can reach the email.
 */
import type { ReactElement } from "react";
import { render } from "@react-email/render";
import ExpiryReminderEmail, { expiryReminderSubject, type ExpiryReminderEmailProps } from "../../emails/expiry-reminder";
import InvitationEmail, { invitationSubject, type InvitationEmailProps } from "../../emails/invitation";
import KeyLeakedEmail, { keyLeakedSubject, type KeyLeakedEmailProps } from "../../emails/key-leaked";
import RotationReminderEmail, { rotationReminderSubject, type RotationReminderEmailProps } from "../../emails/rotation-reminder";
import KeyShareEmail, { keyShareSubject, type KeyShareEmailProps } from "../../emails/key-share";
import SignInEmail, { signInSubject, type SignInEmailProps } from "../../emails/sign-in";
import type { EmailTag, EmailTransport, OutgoingEmail, SendResult } from "./transport";

export type RenderedEmail = { html: string; text: string };

export async function renderEmail(element: ReactElement): Promise<RenderedEmail> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}

async function deliver(
  transport: EmailTransport,
  to: string,
  tag: EmailTag,
  subject: string,
  element: ReactElement,
): Promise<SendResult> {
  const { html, text } = await renderEmail(element);
  const email: OutgoingEmail = { to, subject, html, text, tag };
  return transport.send(email);
}

export type SignInEmailInput = { to: string } & SignInEmailProps;

export function sendSignInEmail(transport: EmailTransport, input: SignInEmailInput): Promise<SendResult> {
  const props: SignInEmailProps = { url: input.url, host: input.host };
  return deliver(transport, input.to, "sign-in", signInSubject(props), <SignInEmail {...props} />);
}

export type InvitationEmailInput = { to: string } & InvitationEmailProps;

export function sendInvitationEmail(transport: EmailTransport, input: InvitationEmailInput): Promise<SendResult> {
  const props: InvitationEmailProps = {
    orgName: input.orgName,
    inviterName: input.inviterName,
    inviterEmail: input.inviterEmail,
    role: input.role,
    acceptUrl: input.acceptUrl,
    expiresAt: input.expiresAt,
  };
  return deliver(transport, input.to, "invitation", invitationSubject(props), <InvitationEmail {...props} />);
}

export type KeyShareEmailInput = { to: string } & KeyShareEmailProps;

export function sendKeyShareEmail(transport: EmailTransport, input: KeyShareEmailInput): Promise<SendResult> {
  const props: KeyShareEmailProps = {
    sharerName: input.sharerName,
    keyName: input.keyName,
    project: input.project,
    message: input.message ?? null,
    retrievalUrl: input.retrievalUrl,
    expiresAt: input.expiresAt,
  };
  return deliver(transport, input.to, "key-share", keyShareSubject(props), <KeyShareEmail {...props} />);
}

export type ExpiryReminderEmailInput = { to: string } & ExpiryReminderEmailProps;

export function sendExpiryReminderEmail(
  transport: EmailTransport,
  input: ExpiryReminderEmailInput,
): Promise<SendResult> {
  const props: ExpiryReminderEmailProps = {
    keyName: input.keyName,
    project: input.project,
    expiresAt: input.expiresAt,
    daysLeft: input.daysLeft,
    keyUrl: input.keyUrl,
  };
  return deliver(
    transport,
    input.to,
    "expiry-reminder",
    expiryReminderSubject(props),
    <ExpiryReminderEmail {...props} />,
  );
}

export type RotationReminderEmailInput = { to: string } & RotationReminderEmailProps;

export function sendRotationReminderEmail(transport: EmailTransport, input: RotationReminderEmailInput): Promise<SendResult> {
  const props: RotationReminderEmailProps = {
    keyName: input.keyName,
    project: input.project,
    secretSince: input.secretSince,
    periodDays: input.periodDays,
    keyUrl: input.keyUrl,
  };
  return deliver(transport, input.to, "rotation-reminder", rotationReminderSubject(props), <RotationReminderEmail {...props} />);
}

export type KeyLeakedEmailInput = { to: string } & KeyLeakedEmailProps;

export function sendKeyLeakedEmail(transport: EmailTransport, input: KeyLeakedEmailInput): Promise<SendResult> {
  const props: KeyLeakedEmailProps = {
    keyName: input.keyName,
    accessKeyId: input.accessKeyId,
    project: input.project,
    foundAt: input.foundAt,
    reportedAt: input.reportedAt,
    action: input.action,
    keyUrl: input.keyUrl,
  };
  return deliver(transport, input.to, "key-leaked", keyLeakedSubject(props), <KeyLeakedEmail {...props} />);
}
