// GitHub secret-scanning partner reports, signed with a locally generated ECDSA P-256 key as
// GitHub signs them: a valid report disables the key (the gateway refuses it at once), emails
// the owner and the admins (Resend mocked) and records key.leaked; a bad signature is refused;
// unknown or malformed tokens are false positives and change nothing.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransport, type ResendClient } from "../../lib/email/transport";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { importKey } from "../../lib/keys/import-key";
import { generateSecret } from "../../lib/keys/material";
import { rotateKey } from "../../lib/keys/rotate-key";
import { parseScanningKeys } from "../../lib/leaks/github-signature";
import { handleLeakRequest } from "../../lib/leaks/leak-endpoint";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { createUser, testDb } from "./helpers";

let gw: Gateway;
const sent: { to: string; subject: string; text: string; html: string }[] = [];
const resend: ResendClient = { emails: { send: async (p) => { sent.push(p); return { data: { id: `m${sent.length}` }, error: null }; } } };
const transport = createTransport({ resendApiKey: "re_test", from: "Keygate <k@test.local>", outboxDir: "/nonexistent" }, { resendClient: resend });

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const keys = parseScanningKeys(JSON.stringify({ public_keys: [{ key_identifier: "kid-1", key: publicKey.export({ type: "spki", format: "pem" }), is_current: true }] }));

type Item = { token: string; type: string; url: string; source: string };
function report(items: Item[], opts: { signer?: KeyObject; kid?: string; tamper?: boolean; ip?: string } = {}) {
  const body = JSON.stringify(items);
  const signature = sign("sha256", Buffer.from(body), opts.signer ?? privateKey).toString("base64");
  return new Request("http://keygate.test/api/secret-scanning/github", {
    method: "POST",
    body: opts.tamper ? body.replace("github.com", "gitlab.com") : body,
    headers: { "content-type": "application/json", "github-public-key-identifier": opts.kid ?? "kid-1", "github-public-key-signature": signature, "x-keygate-client-ip": opts.ip ?? "192.0.2.1" },
  });
}
const send = (req: Request, action: "disable" | "revoke" = "disable") =>
  handleLeakRequest(testDb(), req, { keys, action, transport, publicUrl: "https://keygate.test", log: () => {} });
const item = (token: string): Item => ({ token, type: "keygate_secret_access_key", url: "https://github.com/acme/app/blob/abc/.env", source: "content" });

beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });
beforeEach(() => { sent.length = 0; });

describe("leaked-key reports", () => {
  it("a valid report disables the key: the gateway refuses it, owner and admins are emailed, key.leaked has the URL", async () => {
    const { admin, project, buckets, org } = await seedProject(gw, ["leak"]);
    const secondAdmin = await createUser("Second");
    await testDb().membership.create({ data: { orgId: org.id, userId: secondAdmin.userId, role: "ADMIN" } });
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "leaky", regionId: "local" });
    const client = s3(gw, key);
    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "a.txt", Body: "a" }));

    const res = await send(report([item(key.secret)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ token_raw: key.secret, token_type: "keygate_secret_access_key", label: "true_positive" }]);

    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.disabledAt).not.toBeNull();
    expect(row.revokedAt).toBeNull();
    await expect(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "a.txt" }))).rejects.toMatchObject({ name: "AccessDenied" });

    const events = await testDb().event.findMany({ where: { keyId: key.id, type: { in: ["key.disabled", "key.leaked"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["key.disabled", "key.leaked"]);
    expect(events[1].data).toMatchObject({ url: "https://github.com/acme/app/blob/abc/.env", source: "content", action: "disabled" });
    expect(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(key.secret);

    expect(sent.map((m) => m.to).sort()).toEqual([admin.actor.email, secondAdmin.email].sort());
    expect(sent[0].subject).toContain('"leaky"');
    for (const m of sent) expect(m.text + m.html).not.toContain(key.secret);
  });

  it("revokes instead when configured, and recognizes the previous secret during a rotation overlap", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "rotated", regionId: "local", permissions: ["read"] });
    await rotateKey(testDb(), admin, key.id, { overlapMs: 3_600_000 });
    const res = await send(report([item(key.secret)]), "revoke");
    expect((await res.json())[0].label).toBe("true_positive");
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).not.toBeNull();
    const leaked = await testDb().event.findFirstOrThrow({ where: { keyId: key.id, type: "key.leaked" } });
    expect(leaked.data).toMatchObject({ action: "revoked" });
  });

  it("refuses a bad signature, an unknown key id or a tampered body, and changes nothing", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "safe", regionId: "local" });
    for (const req of [report([item(key.secret)], { signer: other.privateKey }), report([item(key.secret)], { kid: "kid-2" }), report([item(key.secret)], { tamper: true })]) {
      const res = await send(req);
      expect(res.status).toBe(401);
      expect(JSON.stringify(await res.json())).not.toContain(key.secret);
    }
    const unsigned = report([item(key.secret)]);
    unsigned.headers.delete("github-public-key-signature");
    expect((await send(unsigned)).status).toBe(401);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).disabledAt).toBeNull();
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.leaked" } })).toBe(0);
    expect(sent).toEqual([]);
  });

  it("reports unknown, malformed and imported tokens as false positives without any change", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createMasterKey(testDb(), admin, { projectId: project.id, name: "bystander", regionId: "local" });
    const imported = await importKey(testDb(), admin, { projectId: project.id, kind: "MASTER", name: "imp", regionId: "local", accessKeyId: "AKIAIMPORTEDLEAKTEST1", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
    const badChecksum = `${key.secret.slice(0, -1)}${key.secret.endsWith("A") ? "B" : "A"}`;
    const tokens = [generateSecret(), badChecksum, "kgs_short", "", imported.secret, "x".repeat(300)];
    const before = await testDb().event.count();
    const res = await send(report(tokens.map(item)));
    expect(res.status).toBe(200);
    expect((await res.json()).map((a: { label: string; token_raw: string }) => [a.token_raw, a.label])).toEqual(tokens.map((t) => [t, "false_positive"]));
    expect(await testDb().event.count()).toBe(before);
    const rows = await testDb().accessKey.findMany({ where: { id: { in: [key.id, imported.id] } } });
    expect(rows.every((r) => r.disabledAt === null && r.revokedAt === null)).toBe(true);
    expect(sent).toEqual([]);
  });

  it("refuses a malformed body (after the signature) and answers 404 when no keys are configured", async () => {
    const bad = new Request("http://keygate.test/x", {
      method: "POST", body: '{"not":"a list"}',
      headers: { "github-public-key-identifier": "kid-1", "github-public-key-signature": sign("sha256", Buffer.from('{"not":"a list"}'), privateKey).toString("base64") },
    });
    expect((await send(bad)).status).toBe(400);
    const off = await handleLeakRequest(testDb(), report([]), { keys: undefined, action: "disable", transport, publicUrl: "https://keygate.test" });
    expect(off.status).toBe(404);
  });

  it("is rate limited per client address", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await send(report([], { ip }))).status;
    expect(last).toBe(429);
  });
});
