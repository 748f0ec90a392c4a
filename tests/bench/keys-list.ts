// The key list page of a project with 10,000 keys: the built console, a real session, timed
// over HTTP (first page, a deep page via its cursor) plus the underlying query alone.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createDb } from "../../lib/db";
import { encodeCursor, listProjectKeys } from "../../lib/keys/list-keys";
import { findFreePort } from "../../scripts/lib/embedded-postgres";
import { startStack } from "../../scripts/lib/stack";

const KEYS = 10_000;
const RUNS = 20;

async function time<T>(fn: () => Promise<T>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}
const fmt = (ms: number[]) => `p50 ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms, p95 ${ms[Math.floor(ms.length * 0.95)].toFixed(1)} ms`;

async function main() {
  const dataDir = path.resolve("test-data/bench-keys");
  await rm(dataDir, { recursive: true, force: true });
  const web = String(await findFreePort(3410));
  const gateway = String(await findFreePort(9410));
  const stack = await startStack({
    quiet: true,
    env: { ...process.env, DATABASE_URL: undefined, KEYGATE_DATA_DIR: dataDir, KEYGATE_WEB_PORT: web, KEYGATE_GATEWAY_PORT: gateway, KEYGATE_PUBLIC_URL: `http://localhost:${web}` },
  });
  const db = createDb(stack.databaseUrl);
  try {
    const user = await db.user.create({ data: { email: "bench@keygate.test", name: "Bench" } });
    const org = await db.organization.create({ data: { name: "Bench" } });
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
    const project = await db.project.create({ data: { orgId: org.id, name: "bench" } });
    const t0 = performance.now();
    await db.$executeRaw`INSERT INTO "AccessKey" (id, kind, "orgId", "projectId", "regionId", name, "accessKeyId", "sealedSecret", "secretLast4", permissions, "allBuckets", "allowedCidrs", "ownerId", "createdById", "createdAt", "updatedAt", "expiresAt")
      SELECT 'k' || g, 'SUB', ${org.id}, ${project.id}, 'local', 'key-' || g, 'KGBENCH' || lpad(g::text, 13, '0'), 'v1.x.y', 'abcd', ARRAY['read','list'], true, ARRAY[]::text[], ${user.id}, ${user.id},
             now() - (g || ' seconds')::interval, now(), now() + interval '30 days'
      FROM generate_series(1, ${KEYS}) g`;
    console.log(`seeded ${KEYS} keys in ${(performance.now() - t0).toFixed(0)} ms`);
    const sessionToken = randomBytes(24).toString("hex");
    await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) } });
    const ctx = { actor: { userId: user.id, name: user.name, email: user.email }, orgId: org.id, role: "ADMIN" as const };
    const deep = await db.accessKey.findFirstOrThrow({ where: { name: "key-9000" } });
    const deepCursor = encodeCursor(deep);
    const url = `http://127.0.0.1:${web}/orgs/${org.id}/projects/${project.id}/keys`;
    const get = async (u: string) => {
      const res = await fetch(u, { headers: { cookie: `next-auth.session-token=${sessionToken}` } });
      const html = await res.text();
      if (res.status !== 200 || !html.includes("key-")) throw new Error(`page answered ${res.status}`);
    };
    await get(url); // warm up
    console.log(`query  first page (25 of ${KEYS}):  ${fmt(await time(() => listProjectKeys(db, ctx, { projectId: project.id, kind: "SUB" })))}`);
    console.log(`query  deep page (after key 9000):  ${fmt(await time(() => listProjectKeys(db, ctx, { projectId: project.id, kind: "SUB", after: deepCursor })))}`);
    console.log(`page   first page over HTTP:        ${fmt(await time(() => get(url)))}`);
    console.log(`page   deep page over HTTP:         ${fmt(await time(() => get(`${url}?sub=${deepCursor}`)))}`);
  } finally {
    await db.$disconnect();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
