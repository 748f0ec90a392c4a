import { describe, expect, it } from "vitest";
import ExpiryReminderEmail from "../../emails/expiry-reminder";
import InvitationEmail from "../../emails/invitation";
import KeyShareEmail from "../../emails/key-share";
import SignInEmail from "../../emails/sign-in";
import {
  sendExpiryReminderEmail,
  sendInvitationEmail,
  sendKeyShareEmail,
  sendSignInEmail,
  type KeyShareEmailInput,
} from "../../lib/email/send";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";

function capture() {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(email) {
      sent.push(email);
      return { id: `id-${sent.length}`, transport: "outbox" };
    },
  };
  return { transport, sent };
}

describe("senders", () => {
  it("sendSignInEmail renders html + text and tags the email", async () => {
    const { transport, sent } = capture();
    const props = SignInEmail.PreviewProps;
    expect(await sendSignInEmail(transport, { to: "ada@example.com", ...props })).toEqual({ id: "id-1", transport: "outbox" });
    expect(sent[0]).toMatchObject({ to: "ada@example.com", tag: "sign-in", subject: "Sign in to Keygate (keygate.example.com)" });
    expect(sent[0].html).toMatch(/^<!DOCTYPE html/);
    expect(sent[0].text).toContain(props.url);
  });

  it("sendInvitationEmail", async () => {
    const { transport, sent } = capture();
    await sendInvitationEmail(transport, { to: "bob@example.com", ...InvitationEmail.PreviewProps });
    expect(sent[0]).toMatchObject({ tag: "invitation", subject: "grace@acme.example invited you to join Acme Storage on Keygate" });
    expect(sent[0].text).toContain(InvitationEmail.PreviewProps.acceptUrl);
  });

  it("sendKeyShareEmail drops any secret the caller passes", async () => {
    const { transport, sent } = capture();
    const secret = "FAKE+secret/0123456789abcdefghijklmnopqrstuv";
    const input = { to: "bob@example.com", ...KeyShareEmail.PreviewProps, secretAccessKey: secret } as KeyShareEmailInput;
    await sendKeyShareEmail(transport, input);
    expect(sent[0].tag).toBe("key-share");
    expect(sent[0].text).toContain(KeyShareEmail.PreviewProps.retrievalUrl);
    expect(JSON.stringify(sent[0])).not.toContain(secret);
  });

  it("sendExpiryReminderEmail", async () => {
    const { transport, sent } = capture();
    await sendExpiryReminderEmail(transport, { to: "ada@example.com", ...ExpiryReminderEmail.PreviewProps, daysLeft: 1 });
    expect(sent[0]).toMatchObject({ tag: "expiry-reminder", subject: 'Access key "ci-uploader" expires tomorrow' });
    expect(sent[0].html).toContain(ExpiryReminderEmail.PreviewProps.keyUrl);
  });
});
