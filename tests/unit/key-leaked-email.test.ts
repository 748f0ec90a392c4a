import { createElement } from "react";
import { describe, expect, it } from "vitest";
import KeyLeakedEmail, { keyLeakedSubject } from "../../emails/key-leaked";
import { renderEmail } from "../../lib/email/send";

describe("key-leaked email", () => {
  it("says what happened and what Keygate did, with the place as text, never a link", async () => {
    const props = { ...KeyLeakedEmail.PreviewProps, foundAt: "https://github.com/acme/app/blob/abc/.env" };
    const { html, text } = await renderEmail(createElement(KeyLeakedEmail, props));
    expect(text).toContain("GitHub secret scanning found the secret access key of ci-uploader");
    expect(text).toContain("Keygate disabled the key");
    expect(text).toContain(props.accessKeyId);
    expect(html).not.toContain('href="https://github.com');
    expect(html).toContain('href="https://keygate.example.com/orgs/o1/keys/k1"');
    expect(keyLeakedSubject({ keyName: "ci", action: "revoked" })).toBe('The secret of access key "ci" was found in public and was revoked');
    expect(keyLeakedSubject({ keyName: "ci", action: "none" })).toBe('The secret of access key "ci" was found in public');
  });
});
