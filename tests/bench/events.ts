// Event query benchmark: `npx tsx tests/bench/events.ts [events]` (default 1,000,000).
// Starts its own embedded PostgreSQL under test-data/bench-events, bulk-inserts events with
// generate_series, then times the event views (first and deep keyset pages, filtered and
// not), the 30-day chart, a 100,000-row CSV export (time and peak RSS) and a retention purge.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/schema-engine";
import { createDb, type Db } from "../../lib/db";
import { eventsCsv } from "../../lib/events/csv";
import { dailyRequestCounts } from "../../lib/events/daily-counts";
import { type EventScope, listEvents } from "../../lib/events/query";
import type { EventFilters } from "../../lib/events/query-filters";
import { purgeOldEvents } from "../../lib/events/retention";

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const DB_NAME = "keygate_bench_events";

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Org A (keys 0..199, two projects) and org B (keys 200..249). Key 0 is hot: every 10th event
 * (10%); org B gets 20%; the other 70% spread over org A's keys 1..199. 2% of requests are
 * denied; five buckets; timestamps spread evenly over the last 180 days in id order.
 */
async function seed(url: string) {
  await sql(url, `
    INSERT INTO "Region" (id, endpoint) VALUES ('local', 'http://localhost:9000');
    INSERT INTO "User" (id, email, name) VALUES ('u-admin', 'admin@bench.local', 'Admin'), ('u-plus', 'plus@bench.local', 'Plus');
    INSERT INTO "Organization" (id, name) VALUES ('org-a', 'Org A'), ('org-b', 'Org B');
    INSERT INTO "Project" (id, "orgId", name) VALUES ('p-a1', 'org-a', 'a1'), ('p-a2', 'org-a', 'a2'), ('p-b', 'org-b', 'b');
    INSERT INTO "AccessKey" (id, kind, "orgId", "projectId", "regionId", name, "accessKeyId", "sealedSecret", "secretLast4", "ownerId", "createdById", "updatedAt")
      SELECT 'k' || i, 'SUB', CASE WHEN i < 200 THEN 'org-a' ELSE 'org-b' END,
             CASE WHEN i >= 200 THEN 'p-b' WHEN i % 2 = 0 THEN 'p-a1' ELSE 'p-a2' END, 'local', 'key-' || i,
             'KGBENCH' || lpad(i::text, 8, '0'), 'v1.x.y', 'abcd', CASE WHEN i < 20 THEN 'u-plus' ELSE 'u-admin' END,
             CASE WHEN i < 20 THEN 'u-plus' ELSE 'u-admin' END, now()
      FROM generate_series(0, 249) i;`);
  const started = performance.now();
  await sql(url, `
    INSERT INTO "Event" (at, type, "orgId", "projectId", "keyId", "accessKeyId", outcome, operation, bucket, "objectKey", status,
                         "errorCode", "bytesIn", "bytesOut", "durationMs", ip, "userAgent", "requestId")
    SELECT now() - interval '180 days' + g * (interval '180 days' / ${TOTAL}), 'key.request', k."orgId", k."projectId", k.id, k."accessKeyId",
           CASE WHEN (g / 10) % 50 = 3 THEN 'denied' ELSE 'allowed' END,
           (ARRAY['GetObject','PutObject','ListObjectsV2','HeadObject'])[1 + (g / 10) % 4], 'bucket-' || ((g / 10) % 5), 'data/' || g || '.bin',
           CASE WHEN (g / 10) % 50 = 3 THEN 403 ELSE 200 END, CASE WHEN (g / 10) % 50 = 3 THEN 'AccessDenied' END,
           CASE WHEN g % 4 = 1 THEN 4096 ELSE 0 END, CASE WHEN g % 4 = 0 THEN 65536 ELSE 0 END, 3, '10.0.' || (g % 250) || '.7', 'aws-cli/2.15',
           'req-' || g
    FROM generate_series(1, ${TOTAL}) g
    JOIN "AccessKey" k ON k.id = 'k' || (CASE WHEN g % 10 = 0 THEN 0 WHEN g % 5 = 1 THEN 200 + (g / 5) % 50 ELSE 1 + (g::bigint * 7919) % 199 END);
    ANALYZE "Event";`);
  return performance.now() - started;
}

async function time(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn(); // warm-up (plans, caches)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** The cursor `depth` events deep in a scope (the `before` a user would reach by paging). */
async function cursorAt(db: Db, where: string, depth: number): Promise<bigint> {
  const rows = await db.$queryRawUnsafe<{ id: bigint }[]>(`SELECT id FROM "Event" WHERE ${where} ORDER BY id DESC OFFSET ${depth} LIMIT 1`);
  return rows[0].id;
}

const results: [string, string][] = [];
const report = (label: string, ms: number, extra = "") => {
  results.push([label, `${ms.toFixed(1)} ms${extra ? `  ${extra}` : ""}`]);
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms ${extra}`);
};

async function benchPages(db: Db) {
  const key: EventScope = { kind: "key", orgId: "org-a", keyId: "k0" };
  const org: EventScope = { kind: "org", orgId: "org-a" };
  const plus: EventScope = { kind: "org", orgId: "org-a", keyIds: Array.from({ length: 20 }, (_, i) => `k${i}`) };
  const keyDeep = await cursorAt(db, `"keyId" = 'k0'`, Math.floor(TOTAL * 0.1 * 0.9));
  const orgDeep = await cursorAt(db, `"orgId" = 'org-a'`, Math.floor(TOTAL * 0.8 * 0.9));
  const mid = new Date(Date.now() - 90 * 86_400_000);
  const range: EventFilters = { from: new Date(mid.getTime() - 86_400_000), to: mid };
  const cases: [string, EventScope, EventFilters][] = [
    ["key k0 (100k events): first page", key, {}],
    ["key k0: deep page (90% down)", key, { before: keyDeep }],
    ["key k0: denied, first page", key, { outcome: "denied" }],
    ["key k0: denied, deep page", key, { outcome: "denied", before: keyDeep }],
    ["key k0: bucket-3 + type key.request, first page", key, { bucket: "bucket-3", type: "key.request" }],
    ["key k0: one day 90 days ago", key, range],
    ["org A (800k events): first page", org, {}],
    ["org A: deep page (90% down)", org, { before: orgDeep }],
    ["org A: denied, first page", org, { outcome: "denied" }],
    ["org A: denied, deep page", org, { outcome: "denied", before: orgDeep }],
    ["org A: key filter (k7), first page", org, { keyId: "KGBENCH00000007" }],
    ["org A: one day 90 days ago", org, range],
    ["org A: actor filter, no match (worst case: full scan)", org, { actor: "nobody@bench.local" }],
    ["MEMBER_PLUS view (20 keys): first page", plus, {}],
    ["MEMBER_PLUS view (20 keys): deep page", plus, { before: orgDeep }],
    ["MEMBER_PLUS view (20 keys): denied", plus, { outcome: "denied" }],
    ["instance: first page", { kind: "instance" }, {}],
  ];
  for (const [label, scope, filters] of cases) {
    let n = 0;
    const ms = await time(async () => { n = (await listEvents(db, scope, filters, 50)).events.length; });
    report(label, ms, `(${n} rows)`);
  }
  report("chart: key k0, requests per day over 30 days", await time(() => dailyRequestCounts(db, key)));
  report("chart: org A, requests per day over 30 days", await time(() => dailyRequestCounts(db, org), 3));
}

async function benchCsv(db: Db, label: string, scope: EventScope, filters: EventFilters = {}) {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  for await (const chunk of eventsCsv(db, scope, filters)) {
    bytes += Buffer.byteLength(chunk);
    for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  report(`CSV export: ${label}, ${(lines - 1).toLocaleString("en")} rows, ${mb(bytes)}`, ms, `(peak RSS ${mb(peak)}, +${mb(peak - baseline)} over ${mb(baseline)} before)`);
}

async function main() {
  const server = await startEmbeddedPostgres({ dataDir: "test-data/bench-events", quiet: true });
  try {
    await sql(server.url("postgres"), `DROP DATABASE IF EXISTS ${DB_NAME}`);
    await server.createDatabase(DB_NAME);
    const url = server.url(DB_NAME);
    await applyMigrations(url);
    console.log(`Inserting ${TOTAL.toLocaleString("en")} events...`);
    report(`seed: insert ${TOTAL.toLocaleString("en")} events (generate_series) + ANALYZE`, await seed(url));
    const db = createDb(url, 4);
    try {
      await benchPages(db);
      await benchCsv(db, "key k0", { kind: "key", orgId: "org-a", keyId: "k0" });
      const plus: EventScope = { kind: "org", orgId: "org-a", keyIds: Array.from({ length: 20 }, (_, i) => `k${i + 1}`) };
      await benchCsv(db, "MEMBER_PLUS view (20 keys)", plus);
      const t = performance.now();
      const purged = await purgeOldEvents(db, { retentionDays: 150, batchSize: 10_000, log: () => {} });
      report(`retention: purge ${purged.toLocaleString("en")} events older than 150 days (10k/batch)`, performance.now() - t);
    } finally {
      await db.$disconnect();
    }
    await sql(server.url("postgres"), `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`); // ~1 GB; every run starts afresh anyway
  } finally {
    await server.stop();
  }
  console.log("\nSummary");
  for (const [label, value] of results) console.log(`  ${label}: ${value}`);
}

await main().catch((err: unknown) => {
  console.error("benchmark failed:", err);
  process.exit(1);
});
