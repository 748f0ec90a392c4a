// Rotation overlap windows: verifyRequest tries the current secret, then the previous one while
// its window is open, and says which one signed.
import { describe, expect, it } from "vitest";
import { S3_DOC } from "./sigv4-test-helpers";
import { NOW, expectFail, signed, verify } from "./sigv4-verify-fixtures";

const keyWith = (secret: string, previousSecret: string | null, previousSecretUntil: Date | null) =>
  ({ lookup: async () => ({ secret, region: "us-east-1", previousSecret, previousSecretUntil }) });
const HOUR = 3_600_000;

describe("previous secret during a rotation overlap window", () => {
  it("reports the current secret when it matches, the previous one while its window is open", async () => {
    expect(await verify(signed(), NOW, keyWith(S3_DOC.secret, "old-secret", new Date(NOW.getTime() + HOUR)))).toMatchObject({ ok: true, signedWith: "current" });
    expect(await verify(signed(), NOW, keyWith("new-secret", S3_DOC.secret, new Date(NOW.getTime() + HOUR)))).toMatchObject({ ok: true, signedWith: "previous" });
  });

  it("refuses the previous secret from the end of its window on, and without a window", async () => {
    expectFail(await verify(signed(), NOW, keyWith("new-secret", S3_DOC.secret, NOW)), 403, "SignatureDoesNotMatch", "bad_signature");
    expectFail(await verify(signed(), NOW, keyWith("new-secret", S3_DOC.secret, null)), 403, "SignatureDoesNotMatch", "bad_signature");
    expectFail(await verify(signed(), NOW, keyWith("new-secret", "another-secret", new Date(NOW.getTime() + HOUR))), 403, "SignatureDoesNotMatch");
  });
});
