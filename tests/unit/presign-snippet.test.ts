// The key page's POST form snippet is HTML: every value (the object key is the user's text) is
// escaped, so the form a developer copies posts exactly the signed fields.
import { describe, expect, it } from "vitest";
import { snippet } from "../../lib/keys/presign-snippet";

describe("presigned upload snippet", () => {
  it("escapes field values in the POST form", () => {
    const html = snippet({ method: "POST", url: "http://gw/b", fields: { key: 'a "quoted" & <odd>/${filename}', Policy: "eyJ=" }, expiresAt: new Date() });
    expect(html).toContain('<input type="hidden" name="key" value="a &quot;quoted&quot; &amp; &lt;odd>/${filename}">');
    expect(html).toContain('<input type="hidden" name="Policy" value="eyJ=">');
    expect(html.match(/"/g)!.length % 2).toBe(0);
  });

  it("quotes the PUT URL as a JavaScript string", () => {
    expect(snippet({ method: "PUT", url: 'http://gw/b/k?X-Amz-Signature=1&x="', expiresAt: new Date() })).toContain('fetch("http://gw/b/k?X-Amz-Signature=1&x=\\"", ');
  });
});
