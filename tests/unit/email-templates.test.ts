import { createElement } from "react";
import { describe, expect, it } from "vitest";
import RotationReminderEmail, { rotationReminderSubject } from "../../emails/rotation-reminder";
import ExpiryReminderEmail, { describeDaysLeft, expiryReminderSubject } from "../../emails/expiry-reminder";
import InvitationEmail, { invitationSubject } from "../../emails/invitation";
import KeyShareEmail, { keyShareSubject, type KeyShareEmailProps } from "../../emails/key-share";
import SignInEmail, { signInSubject } from "../../emails/sign-in";
import { renderEmail } from "../../lib/email/send";

const FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRET0";

describe("sign-in email", () => {
  it("renders the magic link and host in html and text", async () => {
    const props = SignInEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(SignInEmail, props));
    expect(html).toContain(`href="${props.url.replaceAll("&", "&amp;")}"`);
    expect(html).toContain(props.host);
    expect(text).toContain(props.url);
    expect(text).toContain(props.host);
    expect(text).not.toMatch(/<[a-z]/i);
    expect(signInSubject(props)).toBe("Sign in to Keygate (keygate.example.com)");
  });

  it("has no remote images or fonts", async () => {
    const { html } = await renderEmail(createElement(SignInEmail, SignInEmail.PreviewProps));
    expect(html).not.toMatch(/<img|@font-face|fonts\.googleapis|<link /i);
  });

  it("escapes hostile values", async () => {
    const { html } = await renderEmail(createElement(SignInEmail, { url: "https://x.test/a", host: "<script>x</script>" }));
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("invitation email", () => {
  it("renders org, inviter, role, accept url and expiry", async () => {
    const props = InvitationEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(InvitationEmail, props));
    for (const out of [html, text]) {
      expect(out).toContain(props.orgName);
      expect(out).toContain(props.inviterName);
      expect(out).toContain(props.inviterEmail);
      expect(out).toContain(props.role);
      expect(out).toContain(props.acceptUrl);
      expect(out).toContain("Jul 8, 2025, 12:00 UTC");
    }
    expect(invitationSubject(props)).toBe("grace@acme.example invited you to join Acme Storage on Keygate");
  });
});

describe("key-share email", () => {
  it("renders sharer, key, project, message, url, expiry and says the link works once", async () => {
    const props = KeyShareEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(KeyShareEmail, props));
    for (const out of [html, text]) {
      expect(out).toContain(props.sharerName);
      expect(out).toContain(props.keyName);
      expect(out).toContain(props.project);
      expect(out).toContain(props.retrievalUrl);
      expect(out).toContain("Jul 2, 2025, 12:00 UTC");
      expect(out).toMatch(/works\s+(<strong>)?once/);
    }
    expect(text).toContain("Here is the key for the deploy pipeline.\nIt can only write to the assets bucket.");
    expect(html).toContain("Here is the key for the deploy pipeline.<br/>It can only write to the assets bucket.");
    expect(keyShareSubject(props)).toBe('Grace Hopper shared the access key "ci-uploader" with you');
  });

  it("never includes a secret passed alongside the props", async () => {
    const withSecret = {
      ...KeyShareEmail.PreviewProps,
      secretAccessKey: FAKE_SECRET,
      secret: FAKE_SECRET,
      credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: FAKE_SECRET },
    } as KeyShareEmailProps;
    const { html, text } = await renderEmail(createElement(KeyShareEmail, withSecret));
    expect(html).not.toContain(FAKE_SECRET);
    expect(text).not.toContain(FAKE_SECRET);
    expect(html).not.toContain("wJalrXUtnFEMI");
  });

  it("omits the message block when there is no message", async () => {
    const { text } = await renderEmail(createElement(KeyShareEmail, { ...KeyShareEmail.PreviewProps, message: "  " }));
    expect(text).not.toContain("Message from");
  });
});

describe("expiry-reminder email", () => {
  it("renders key, project, expiry, days left and key url", async () => {
    const props = ExpiryReminderEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(ExpiryReminderEmail, props));
    for (const out of [html, text]) {
      expect(out).toContain(props.keyName);
      expect(out).toContain(props.project);
      expect(out).toContain(props.keyUrl);
      expect(out).toContain("in 7 days");
      expect(out).toContain("Jul 8, 2025, 12:00 UTC");
    }
    expect(expiryReminderSubject(props)).toBe('Access key "ci-uploader" expires in 7 days');
  });

  it("phrases days left", () => {
    expect(describeDaysLeft(0)).toBe("today");
    expect(describeDaysLeft(-2)).toBe("today");
    expect(describeDaysLeft(1)).toBe("tomorrow");
    expect(describeDaysLeft(30)).toBe("in 30 days");
  });
});

describe("rotation-reminder email", () => {
  it("renders key, project, when the secret was issued, the period and the key url", async () => {
    const props = RotationReminderEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(RotationReminderEmail, props));
    for (const out of [html, text]) {
      expect(out).toContain(props.keyName);
      expect(out).toContain(props.project);
      expect(out).toContain(props.keyUrl);
      expect(out).toContain("90 days");
      expect(out).toContain("Apr 1, 2025, 09:30 UTC");
    }
    expect(rotationReminderSubject({ keyName: "a\nb" })).not.toContain("\n");
  });
});

describe("subjects", () => {
  it("are single-line even with hostile names", () => {
    expect(keyShareSubject({ sharerName: "Eve\r\nBcc: x@y.z", keyName: "k" })).not.toMatch(/[\r\n]/);
  });
});
