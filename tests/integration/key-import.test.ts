// Import of existing key pairs: the imported pair signs requests through the real gateway with
// the AWS SDK and the aws CLI; bad formats and duplicates are refused with clear errors; the
// secret is sealed and appears in no event.
import { randomBytes } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../lib/errors";
import { createMasterKey } from "../../lib/keys/create-keys";
import { importKey } from "../../lib/keys/import-key";
import { revokeKey } from "../../lib/keys/manage-keys";
import { clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { createOrgWith, testDb } from "./helpers";

const tools = ensureTools(["aws"]);
let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); removeClientHomes(); });

const A_Z0_9 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** An AWS-style pair: 20-character id, 40-character secret with "/" and "+". */
function awsStylePair() {
  const id = `AKIA${Array.from(randomBytes(16), (b) => A_Z0_9[b % 36]).join("")}`;
  const secret = randomBytes(30).toString("base64"); // 40 characters of A-Za-z0-9+/
  return { accessKeyId: id, secret };
}
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return { status: err.status, message: err.message, fields: err.fieldErrors };
    if ((err as { issues?: unknown }).issues) return { status: 400, message: "zod", fields: (err as { issues: { path: string[]; message: string }[] }).issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
    throw err;
  }
  throw new Error("expected a refusal");
};

describe("key import", () => {
  it("an imported master pair signs S3 requests with the AWS SDK and the aws CLI", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["imp"]);
    const pair = awsStylePair();
    const issued = await importKey(testDb(), admin, { projectId: project.id, kind: "MASTER", name: "from-minio", regionId: "local", ...pair, expiry: "1y" });
    expect(issued.accessKeyId).toBe(pair.accessKeyId);

    const sdk = s3(gw, pair);
    await sdk.send(new PutObjectCommand({ Bucket: buckets[0], Key: "sdk.txt", Body: "imported via sdk" }));
    const got = await sdk.send(new GetObjectCommand({ Bucket: buckets[0], Key: "sdk.txt" }));
    expect(await got.Body!.transformToString()).toBe("imported via sdk");

    if (tools.aws) {
      const { env } = clientEnv(gw.url, pair);
      const put = await run([...tools.aws, "s3", "cp", "-", `s3://${buckets[0]}/cli.txt`], { env, input: "imported via aws cli" });
      expect(put.code, put.stderr).toBe(0);
      const cat = await run([...tools.aws, "s3", "cp", `s3://${buckets[0]}/cli.txt`, "-"], { env });
      expect(cat.code, cat.stderr).toBe(0);
      expect(cat.stdout).toBe("imported via aws cli");
    }
    // A wrong secret for the imported id is refused like any other.
    const wrong = s3(gw, { accessKeyId: pair.accessKeyId, secret: `${pair.secret.slice(0, -1)}x` });
    await expect(wrong.send(new GetObjectCommand({ Bucket: buckets[0], Key: "sdk.txt" }))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
  });

  it("marks the key imported, seals the secret and keeps it out of the key.imported event", async () => {
    const { admin, project } = await seedProject(gw, []);
    const pair = awsStylePair();
    const issued = await importKey(testDb(), admin, { projectId: project.id, kind: "SUB", name: "garage-ro", regionId: "local", ...pair, permissions: ["read", "list"] });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row).toMatchObject({ imported: true, kind: "SUB", permissions: ["read", "list"], secretLast4: pair.secret.slice(-4) });
    expect(row.sealedSecret).not.toContain(pair.secret);
    const events = await testDb().event.findMany({ where: { keyId: issued.id } });
    expect(events.map((e) => e.type)).toEqual(["key.imported"]);
    expect(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(pair.secret);
    // A key created the usual way is not imported.
    const created = await createMasterKey(testDb(), admin, { projectId: project.id, name: "native", regionId: "local" });
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: created.id } })).imported).toBe(false);
  });

  it("refuses bad formats with clear messages that never echo the secret", async () => {
    const { admin, project } = await seedProject(gw, []);
    const base = { projectId: project.id, kind: "MASTER" as const, name: "bad", regionId: "local" };
    const good = awsStylePair();
    for (const accessKeyId of ["SHORTID123", "akiaiosfodnn7example", "AKIA-IOSFODNN7-EXAMPLE", "A".repeat(129)]) {
      const r = await refusal(importKey(testDb(), admin, { ...base, accessKeyId, secret: good.secret }));
      expect(JSON.stringify(r)).toContain("16 to 128 characters of A-Z and 0-9");
    }
    for (const secret of ["tooShortSecret123", "has spaces in the secret value here!!", "x".repeat(129)]) {
      const r = await refusal(importKey(testDb(), admin, { ...base, accessKeyId: good.accessKeyId, secret }));
      expect(JSON.stringify(r)).toContain("30 to 128 visible ASCII characters");
      expect(JSON.stringify(r)).not.toContain(secret);
    }
    expect(await testDb().accessKey.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("refuses an id already used anywhere on the instance, including Keygate's own ids and revoked keys", async () => {
    const one = await seedProject(gw, []);
    const other = await seedProject(gw, []);
    const pair = awsStylePair();
    await importKey(testDb(), one.admin, { projectId: one.project.id, kind: "MASTER", name: "first", regionId: "local", ...pair });
    const dup = await refusal(importKey(testDb(), other.admin, { projectId: other.project.id, kind: "MASTER", name: "second", regionId: "local", ...pair }));
    expect(dup).toMatchObject({ status: 409, message: "This access key id is already used by a key of this instance." });
    const native = await createMasterKey(testDb(), one.admin, { projectId: one.project.id, name: "native", regionId: "local" });
    await revokeKey(testDb(), one.admin, native.id);
    const clash = await refusal(importKey(testDb(), other.admin, { projectId: other.project.id, kind: "MASTER", name: "third", regionId: "local", accessKeyId: native.accessKeyId, secret: pair.secret }));
    expect(clash.status).toBe(409);
    // The same id imported twice at once: the unique index lets exactly one through.
    const race = awsStylePair();
    const results = await Promise.allSettled([0, 1].map((i) => importKey(testDb(), other.admin, { projectId: other.project.id, kind: "MASTER", name: `race-${i}`, regionId: "local", ...race })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.status).toBe(409);
  });

  it("is for admins only", async () => {
    const { members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
    const project = await testDb().project.create({ data: { orgId: members.ADMIN.orgId, name: "p" } });
    const r = await refusal(importKey(testDb(), members.MEMBER_PLUS, { projectId: project.id, kind: "SUB", name: "x", regionId: "local", ...awsStylePair(), permissions: ["read"] }));
    expect(r.status).toBe(403);
  });
});
