// Object Lock with a real client: the aws CLI (botocore) against the real gateway: lock bucket,
// default retention, lock headers on put-object, retention and legal hold calls, refusals and
// the governance bypass. (The SDK tests are in gateway-object-lock.test.ts.)
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { denied, file, gw, master, ok, setUpClients, tools } from "./gateway-clients-setup";
import { clientEnv } from "./cli-tools";

setUpClients();

describe.skipIf(!tools.aws)("aws CLI: Object Lock", () => {
  const aws = (...args: string[]) => [...tools.aws!, "--endpoint-url", gw.url, ...args];

  it("create-bucket with lock, configuration, retention, legal hold, refusals and bypass", { timeout: 120_000 }, async () => {
    const env = clientEnv(gw.url, master).env;
    const bucket = `cli-lock-${randomBytes(3).toString("hex")}`;
    const body = file("lock/body.txt", Buffer.from("locked\n"));
    const json = async (...args: string[]) => JSON.parse((await ok(aws(...args), env)) || "{}");
    await ok(aws("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket"), env);
    await ok(aws("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
      JSON.stringify({ ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } })), env);
    const cfg = await json("s3api", "get-object-lock-configuration", "--bucket", bucket);
    expect(cfg.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: "GOVERNANCE", Days: 1 });

    const until = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const put = await json("s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", body,
      "--object-lock-mode", "COMPLIANCE", "--object-lock-retain-until-date", until, "--object-lock-legal-hold-status", "ON");
    const head = await json("s3api", "head-object", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId);
    expect([head.ObjectLockMode, head.ObjectLockLegalHoldStatus]).toEqual(["COMPLIANCE", "ON"]);
    await denied(aws("s3api", "delete-object", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId), env);
    await ok(aws("s3api", "put-object-legal-hold", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId, "--legal-hold", "Status=OFF"), env);
    expect((await json("s3api", "get-object-legal-hold", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId)).LegalHold.Status).toBe("OFF");
    const r = await json("s3api", "get-object-retention", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId);
    expect(r.Retention.Mode).toBe("COMPLIANCE");
    await denied(aws("s3api", "put-object-retention", "--bucket", bucket, "--key", "k", "--version-id", put.VersionId,
      "--retention", JSON.stringify({ Mode: "GOVERNANCE", RetainUntilDate: until }), "--bypass-governance-retention"), env);

    // The default retention (GOVERNANCE, 1 day) on a plain put-object; the bypass deletes it.
    const plain = await json("s3api", "put-object", "--bucket", bucket, "--key", "g", "--body", body);
    expect((await json("s3api", "get-object-retention", "--bucket", bucket, "--key", "g")).Retention.Mode).toBe("GOVERNANCE");
    await denied(aws("s3api", "delete-object", "--bucket", bucket, "--key", "g", "--version-id", plain.VersionId), env);
    await ok(aws("s3api", "delete-object", "--bucket", bucket, "--key", "g", "--version-id", plain.VersionId, "--bypass-governance-retention"), env);
    await denied(aws("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended"), env, "InvalidBucketState");
  });
});
