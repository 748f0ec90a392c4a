// Issue 11, items 6 and 7: who may sign up and create organizations; limits on outgoing email;
// what an invitation email shows of names the inviter chose.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount, mayCreateAccount, organizationCreationRefusal } from "../../lib/auth/signup-policy";
import { extractLinks } from "../../lib/email/links";
import { sendInvitationEmail } from "../../lib/email/send";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { parseEnv } from "../../lib/env";
import { AppError } from "../../lib/errors";
import { createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createOrganization } from "../../lib/orgs/create-organization";
import { inviteMember } from "../../lib/orgs/invitations";
import { createShare } from "../../lib/shares/create-share";
import { createIsolatedDatabase } from "./cli-harness";
import { createOrgWith, createUser, testDb } from "./helpers";

beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));

const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.message}` : String(e)));
const stranger = () => `someone-${randomBytes(4).toString("hex")}@elsewhere.example`;

function capture() {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = { kind: "outbox", send: async (e) => (sent.push(e), { id: String(sent.length), transport: "outbox" }) };
  return { sent, transport };
}

describe("KEYGATE_SIGNUP", () => {
  const env = (value?: string) => parseEnv({ KEYGATE_SIGNUP: value, KEYGATE_OPERATOR_EMAILS: "ops@keygate.example" });

  it("defaults to invite-only: strangers get no account, invited addresses, operators and existing users do", async () => {
    const e = env();
    expect(e.signup).toEqual({ mode: "invite-only" });
    await createUser("Existing"); // the instance is not fresh: the first-run exception does not apply
    expect(await mayCreateAccount(testDb(), e, stranger())).toBe(false);
    expect(await mayCreateAccount(testDb(), e, "ops@keygate.example")).toBe(true);
    const existing = await createUser("Someone");
    expect(await mayCreateAccount(testDb(), e, existing.email)).toBe(true);
    const { members } = await createOrgWith(["ADMIN"]);
    const invitee = stranger();
    await inviteMember(testDb(), members.ADMIN, { email: invitee, role: "MEMBER" }, 24);
    expect(await mayCreateAccount(testDb(), e, invitee)).toBe(true);
    expect(await organizationCreationRefusal(testDb(), e, existing)).toMatch(/created by the instance's operators/);
    expect(await organizationCreationRefusal(testDb(), e, { ...existing, email: "ops@keygate.example" })).toBeNull();
  });

  it("a list of domains admits only those domains; open admits anyone", async () => {
    const e = env("acme.example, @corp.example");
    expect(e.signup).toEqual({ mode: "domains", domains: ["acme.example", "corp.example"] });
    expect(await mayCreateAccount(testDb(), e, `a-${randomBytes(3).toString("hex")}@corp.example`)).toBe(true);
    expect(await mayCreateAccount(testDb(), e, stranger())).toBe(false);
    const user = await createUser("Outsider");
    expect(await organizationCreationRefusal(testDb(), e, user)).toMatch(/allowed domain/);
    expect(await mayCreateAccount(testDb(), env("open"), stranger())).toBe(true);
    expect(() => env("not a policy")).toThrow(/KEYGATE_SIGNUP/);
  });

  // One fresh database for both rules: the WASM schema engine applies migrations once per process.
  it("a fresh invite-only instance grants its free first account and first organization once, to concurrent strangers too", async () => {
    const fresh = await createIsolatedDatabase();
    try {
      const accounts = await Promise.all(Array.from({ length: 5 }, () => outcome(createAccount(fresh.db, env(), { email: stranger() }))));
      expect(accounts.filter((r) => r === "ok")).toHaveLength(1);
      expect(accounts.filter((r) => r !== "ok")).toEqual(Array(4).fill("403 New accounts on this instance need an invitation."));
      expect(await fresh.db.user.count()).toBe(1);
      // Operators still get accounts afterwards; strangers do not.
      expect(await outcome(createAccount(fresh.db, env(), { email: "ops@keygate.example", name: "Ops" }))).toBe("ok");
      expect(await outcome(createAccount(fresh.db, env(), { email: stranger() }))).toMatch(/^403/);

      const users = await Promise.all(Array.from({ length: 5 }, (_, i) =>
        fresh.db.user.create({ data: { email: `first-${i}-${randomBytes(3).toString("hex")}@elsewhere.example`, name: `First ${i}` } })));
      const orgs = await Promise.all(users.map((u) =>
        outcome(createOrganization(fresh.db, { userId: u.id, name: u.name, email: u.email }, { name: `Org of ${u.name}` }, env()))));
      expect(orgs.filter((r) => r === "ok")).toHaveLength(1);
      expect(orgs.filter((r) => r !== "ok")).toEqual(Array(4).fill(expect.stringMatching(/^403 New organizations are created by the instance's operators/)));
      expect(await fresh.db.organization.count()).toBe(1);
    } finally {
      await fresh.drop();
    }
  });
});

describe("email limits per organization and day", () => {
  it("invitations: over the limit, a clear 429 and no invitation, no email", async () => {
    const { members } = await createOrgWith(["ADMIN"]);
    for (let i = 0; i < 25; i++) await inviteMember(testDb(), members.ADMIN, { email: stranger(), role: "MEMBER" }, 24);
    const refused = await outcome(inviteMember(testDb(), members.ADMIN, { email: stranger(), role: "MEMBER" }, 24));
    expect(refused).toMatch(/^429 This organization has sent its 25 invitations for today\. No email was sent/);
    expect(await testDb().invitation.count({ where: { orgId: members.ADMIN.orgId } })).toBe(25);
  });

  it("shares: over the limit, a clear 429 and no email", async () => {
    const { org, members } = await createOrgWith(["ADMIN"]);
    const project = await testDb().project.create({ data: { orgId: org.id, name: "p" } });
    const key = await createSubKey(testDb(), members.ADMIN, { projectId: project.id, name: "k", regionId: "local", permissions: ["read"] });
    const mail = capture();
    const deps = { transport: mail.transport, publicUrl: "https://keygate.example.com", defaultTtlHours: 1 };
    for (let i = 0; i < 50; i++) await createShare(testDb(), members.ADMIN, { keyId: key.id, recipientEmail: stranger() }, deps);
    expect(await outcome(createShare(testDb(), members.ADMIN, { keyId: key.id, recipientEmail: stranger() }, deps))).toMatch(/^429 .*50 share emails for today/);
    expect(mail.sent).toHaveLength(50);
  });
});

describe("invitation email content", () => {
  it("names the inviter's address and never turns the organization name into a link", async () => {
    const mail = capture();
    await sendInvitationEmail(mail.transport, {
      to: "victim@example.com", orgName: "Security alert - verify at https://evil.test", inviterName: "IT Support",
      inviterEmail: "mallory@attacker.example", role: "Admin", acceptUrl: "https://keygate.example.com/invite/tok", expiresAt: new Date(),
    });
    const [email] = mail.sent;
    for (const out of [email.html, email.text, email.subject]) {
      expect(out).not.toContain("https://evil.test");
      expect(out).not.toContain("evil.test");
    }
    expect(email.html).toContain("mallory@attacker.example");
    expect(email.text).toContain("mallory@attacker.example");
    expect(email.subject).toContain("mallory@attacker.example");
    expect(extractLinks(email.html, email.text)).toEqual(["https://keygate.example.com/invite/tok"]);
  });
});
