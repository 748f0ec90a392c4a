// Shared by the share-link tests: a captured mailer, a seeded organization, one-call sharing.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createDb, type Db } from "../../lib/db";
import { extractLinks } from "../../lib/email/links";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { AppError } from "../../lib/errors";
import { createSubKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createShare, type CreateShareInput } from "../../lib/shares/create-share";
import { createOrgWith, testDb } from "./helpers";

export const HOUR = 3600_000;
export const PUBLIC_URL = "https://keygate.example.com";

const processes: Db[] = [];

/** Call at the top of a test file: a sealing keyring for the run, and cleanup of otherProcess() clients. */
export function setUpShareTests(): void {
  beforeAll(() => setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`)));
  afterAll(async () => {
    await Promise.all(processes.splice(0).map((d) => d.$disconnect()));
  });
}

/** Separate clients stand in for separate web processes (own pools, own connections). */
export function otherProcess(): Db {
  const db = createDb(inject("databaseUrl"), 2);
  processes.push(db);
  return db;
}

/** What an AppError says (status + code), or the error's name for anything else. */
export const outcome = (p: Promise<unknown>) =>
  p.then(() => "ok", (e) => (e instanceof AppError ? `${e.status} ${e.code}` : (e?.name ?? "error")));

/** A fresh client IP per use, so the per-IP limiter never couples tests. */
export const randomIp = () => `10.${[0, 0, 0].map(() => randomBytes(1)[0]).join(".")}`;
export const meta = (ip = randomIp()) => ({ ip, userAgent: "vitest-recipient/1.0" });

export function captureMail(fail = false) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(email) {
      if (fail) throw new Error("mailer down");
      sent.push(email);
      return { id: String(sent.length), transport: "outbox" };
    },
  };
  return { sent, deps: { transport, publicUrl: PUBLIC_URL, defaultTtlHours: 72 } };
}

export const tokenOf = (email: OutgoingEmail) => {
  const link = extractLinks(email.html, email.text).find((l) => l.startsWith(`${PUBLIC_URL}/share/`));
  if (!link) throw new Error("no share link in the email");
  return link.slice(`${PUBLIC_URL}/share/`.length);
};

export async function world() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomBytes(3).toString("hex")}` } });
  const sub = (ctx: OrgContext, extra: Record<string, unknown> = {}) =>
    createSubKey(testDb(), ctx, { projectId: project.id, name: "reader", regionId: "local", permissions: ["read", "list"], ...extra });
  return { org, members, project, sub };
}

/** Shares `keyId` and returns the link token read from the captured email. */
export async function share(ctx: OrgContext, keyId: string, extra: Partial<CreateShareInput> = {}) {
  const mail = captureMail();
  const created = await createShare(testDb(), ctx, { keyId, recipientEmail: "Recipient@Example.com", ...extra }, mail.deps);
  return { created, token: tokenOf(mail.sent[0]), email: mail.sent[0] };
}

export const stringify = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
