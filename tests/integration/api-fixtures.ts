// Shared by tests/integration/api-*.test.ts: a project with a master key, and a way to call the
// /api/v1 route handlers directly (they are plain functions of Request → Response).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createOrgWith, testDb } from "./helpers";

// The route handlers use the process-wide getDb() and getEnv(), which read the environment once:
// the test database, and a temporary data directory for the email outbox (share links).
process.env.DATABASE_URL = inject("databaseUrl");
process.env.KEYGATE_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "keygate-api-"));
export const outboxDir = process.env.KEYGATE_DATA_DIR;
afterAll(() => rmSync(outboxDir, { recursive: true, force: true })); // registered for each file importing this

export function useTestKeyring() {
  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
}

/** An org (ADMIN + MEMBER_PLUS), a project with two buckets, and an ADMIN's master key for it. */
export async function apiSetup() {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomBytes(3).toString("hex")}` } });
  const buckets = await Promise.all(["alpha", "beta"].map((n) =>
    testDb().bucket.create({ data: { projectId: project.id, regionId: "local", name: `${n}-${randomBytes(4).toString("hex")}` } })));
  const master = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name: "automation", regionId: "local" });
  return { org, members, project, buckets, master, admin: members.ADMIN };
}

export type Creds = Pick<IssuedKey, "accessKeyId" | "secret">;
export const basic = (c: Creds) => `Basic ${Buffer.from(`${c.accessKeyId}:${c.secret}`).toString("base64")}`;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type CallOptions = { creds?: Creds | null; authorization?: string; body?: unknown; params?: Record<string, string>; headers?: Record<string, string> };

/** Calls a route handler like Next does and returns the status, headers and parsed JSON body. */
export async function call(handler: Handler, method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { "user-agent": "api-test", ...opts.headers };
  const authorization = opts.authorization ?? (opts.creds ? basic(opts.creds) : undefined);
  if (authorization) headers.authorization = authorization;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const res = await handler(new Request(`http://localhost:3000${path}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : null) as any };
}

export const apiEvents = (masterKeyId: string) =>
  testDb().event.findMany({ where: { keyId: masterKeyId, type: "api.request" }, orderBy: { id: "asc" } });
