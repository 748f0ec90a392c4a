// Gateway benchmark: `npx tsx tests/bench/gateway.ts [small] [workers] [large] [verify]`. One run
// prints, side by side, each server in its own process and one load generator (its own process,
// replaying requests signed once, its CPU printed); small-object figures are medians of
// interleaved runs, so a shared machine's load bursts hit every server alike:
// - 4 KiB GET and PUT: the gateway (gateway/main.ts, one process: SigV4, key cache, scope, fs
//   backend, events) vs bare node:http (same bytes, same disk, temp file + fsync + rename) vs
//   s3rver (which never fsyncs; the "ceiling" row is bare/s3rver, how far past s3rver a server
//   with the same durable writes and no other work gets); then the gateway with
//   KEYGATE_GATEWAY_WORKERS = CPUs (absolute figure);
// - 256 MiB PUT and GET vs bare node:http (interleaved runs too), and a raw disk stream copy;
// - SigV4 verification CPU cost alone; events written, dropped, and how soon they are visible.
// KEYGATE_BENCH_PROFILE=<dir> writes a CPU profile of the single gateway process there.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { type LargeJob, type LargeResult, type LoadJob, type SmallResult } from "./bench-load";
import { type Server, cpuSeconds, startBare, startGateway, startS3rver, writeDurably } from "./bench-servers";
import { type Signed, createTargets } from "./bench-setup";
import { verifyCost } from "./sigv4-verify";

const SMALL = 4 * 1024;
const LARGE = 256 * 1024 * 1024;
const CONCURRENCY = 16;
const DURATION_MS = 3000;
const ROUNDS = 3;
const LARGE_RUNS = 5;
const wanted = (s: string) => process.argv.length <= 2 || process.argv.slice(2).includes(s);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[][] = [];
const row = (...cells: string[]) => rows.push(cells);

function load<T>(job: LoadJob): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/bench-load.ts", "--load"], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(job));
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as T) : reject(new Error(`load generator exited ${code}`))));
  });
}

type Run = { rate: number; p50: number; p99: number; serverCpu: number; loadCpu: number; sent: number };

/** One small-object run against `server`. */
async function smallRun(label: string, server: Server, method: "GET" | "PUT", signed: Signed): Promise<Run> {
  const pids = server.pids();
  const cpu0 = cpuSeconds(pids);
  const r = await load<SmallResult>({
    kind: "small", method, requests: method === "GET" ? signed.get : signed.put, body: method === "PUT" ? signed.body.toString("base64") : undefined,
    concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: 500,
  });
  if (r.errors) console.error(`${label} ${method}: ${r.errors} errors (first: ${r.firstError})`);
  if (!r.requests) throw new Error(`${label} ${method}: no request completed (${r.errors} errors, first: ${r.firstError})`);
  const serverCpu = (cpuSeconds(pids) - cpu0) / (r.seconds + 0.5);
  return { rate: r.requests / r.seconds, p50: r.p50, p99: r.p99, serverCpu, loadCpu: r.cpu, sent: r.sent };
}

/**
 * ROUNDS runs per server, the servers taking turns (the order rotating each round), so a burst
 * of load from elsewhere on a shared machine hits every server alike; medians are reported.
 */
async function smallCompare(method: "GET" | "PUT", targets: Array<{ label: string; server: Server; signed: Signed }>) {
  const runs = targets.map(() => [] as Run[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + round) % targets.length;
      runs[i].push(await smallRun(targets[i].label, targets[i].server, method, targets[i].signed));
    }
  }
  return runs.map((rs, i) => {
    const m = (f: (r: Run) => number) => median(rs.map(f));
    const r = { rate: m((x) => x.rate), p50: m((x) => x.p50), p99: m((x) => x.p99), serverCpu: m((x) => x.serverCpu), loadCpu: m((x) => x.loadCpu), sent: rs.reduce((a, x) => a + x.sent, 0) };
    row(`4 KiB ${method}`, targets[i].label, `${r.rate.toFixed(0)} req/s`, `p50 ${r.p50.toFixed(1)} ms`, `p99 ${r.p99.toFixed(1)} ms`,
      `server CPU ${(r.serverCpu * 100).toFixed(0)} %`, `load gen CPU ${(r.loadCpu * 100).toFixed(0)} %`);
    return r;
  });
}

/** 256 MiB transfers, LARGE_RUNS per server, taking turns like smallCompare; MB/s of the median time. */
async function largeCompare(method: "GET" | "PUT", targets: Array<{ label: string; request: LargeJob["request"] }>, blockFile: string) {
  const times = targets.map(() => [] as number[]);
  for (let run = 0; run < LARGE_RUNS; run++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + run) % targets.length;
      const r = await load<LargeResult>({ kind: "large", method, request: targets[i].request, bytes: LARGE, blockFile });
      if (r.status !== 200 || r.bytes !== LARGE) throw new Error(`${targets[i].label} ${method} 256 MiB: HTTP ${r.status}, ${r.bytes} bytes`);
      times[i].push(r.seconds);
    }
  }
  return times.map((ts, i) => {
    const mbps = LARGE / 1e6 / median(ts);
    row(`256 MiB ${method}`, targets[i].label, `${mbps.toFixed(0)} MB/s`, `median of ${LARGE_RUNS}`);
    return mbps;
  });
}

async function diskCopy(dir: string, block: Buffer): Promise<number> {
  const src = path.join(dir, "raw-src");
  const dst = path.join(dir, "raw-dst");
  await pipeline(async function* () { for (let i = 0; i < LARGE / block.length; i++) yield block; }, createWriteStream(src));
  const times: number[] = [];
  for (let i = 0; i < LARGE_RUNS; i++) {
    const t0 = performance.now();
    await writeDurably(dst, createReadStream(src));
    times.push((performance.now() - t0) / 1000);
    await fsp.rm(dst);
  }
  await fsp.rm(src);
  return LARGE / 1e6 / median(times);
}

/**
 * Until every worker has its key cached and its database pool open: 64 GETs, 16 at a time. A 503
 * (a key lookup that timed out on a busy machine) is retried, a few times.
 */
async function warm(signed: Signed) {
  for (let round = 0; round < 4; round++) {
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(signed.get[0].url, { headers: { connection: "close" } });
        await res.arrayBuffer();
        if (res.status === 200) return;
        if (res.status !== 503 || attempt >= 5) throw new Error(`warm-up GET: HTTP ${res.status}`);
      }
    }));
  }
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Request events in the database, waiting up to 2 s for `expected`; returns count and wait. */
async function eventsVisible(databaseUrl: string, expected: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const t0 = performance.now();
  let count = 0;
  try {
    do {
      count = Number((await client.query(`SELECT count(*) FROM "Event" WHERE type = 'key.request'`)).rows[0].count);
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (performance.now() - t0 < 2000);
  } finally {
    await client.end();
  }
  return { count, ms: performance.now() - t0 };
}

async function droppedEvents(gateway: Server): Promise<string> {
  const text = await fetch(`${gateway.url}/metrics`).then((r) => r.text(), () => "");
  return /^keygate_events_dropped_total (\d+)/m.exec(text)?.[1] ?? "?";
}

async function main() {
  const dataDir = path.resolve("test-data/bench-gateway");
  const setup = await createTargets(dataDir, SMALL, LARGE);
  const servers: Server[] = [];
  const started = async (s: Promise<Server>) => (servers.push(await s), servers[servers.length - 1]);
  try {
    const [gateway, bare, s3rver] = [
      await started(startGateway(setup.gatewayEnv, 1, process.env.KEYGATE_BENCH_PROFILE)),
      await started(startBare(setup.bareDir)),
      await started(startS3rver(setup.s3rverDir)),
    ];
    const gw = await setup.sign(gateway.url, "gateway");
    let gatewaySent = 64 + 1; // the warm-up GETs and the seeding PUT below are requests too
    await setup.seedSmall(gw, await setup.sign(s3rver.url, "s3rver"));
    await warm(gw);
    if (wanted("small")) {
      const targets = [
        { label: "gateway (1 process)", server: gateway, signed: gw },
        { label: "bare node:http", server: bare, signed: await setup.sign(bare.url, "bare") },
        { label: "s3rver 3.7", server: s3rver, signed: await setup.sign(s3rver.url, "s3rver") },
      ];
      for (const method of ["GET", "PUT"] as const) {
        const [g, b, s] = await smallCompare(method, targets);
        gatewaySent += g.sent;
        row(`4 KiB ${method}`, "ratios", `gateway/bare ${ratio(g.rate, b.rate)}`, `gateway/s3rver ${ratio(g.rate, s.rate)}`, `p99 gateway/bare ${ratio(g.p99, b.p99)}`);
        // s3rver never fsyncs; bare writes as the gateway does (temp, fsync, rename; it even skips
        // the directory fsync) and does nothing else, so no crash-safe server gets further past
        // s3rver on this machine than bare does.
        row(`4 KiB ${method}`, "ceiling", `bare/s3rver ${ratio(b.rate, s.rate)}`);
      }
    }
    if (wanted("large")) {
      const block = await fsp.readFile(setup.blockFile);
      const bs = await setup.sign(bare.url, "bare");
      for (const method of ["PUT", "GET"] as const) {
        const [g, b] = await largeCompare(method, [
          { label: "gateway (1 process)", request: method === "PUT" ? gw.largePut : gw.largeGet },
          { label: "bare node:http", request: method === "PUT" ? bs.largePut : bs.largeGet },
        ], setup.blockFile);
        gatewaySent += LARGE_RUNS;
        row(`256 MiB ${method}`, "ratio", `gateway/bare ${ratio(g, b)}`);
      }
      row("256 MiB copy", "raw disk (stream copy + fsync)", `${(await diskCopy(dataDir, block)).toFixed(0)} MB/s`, `median of ${LARGE_RUNS}`);
    }
    const ev = await eventsVisible(setup.databaseUrl, gatewaySent);
    row("events", "gateway (1 process)", `${ev.count} written for ${gatewaySent} requests`, `visible after ${ev.ms.toFixed(0)} ms`, `dropped ${await droppedEvents(gateway)}`);
    await gateway.stop();
    servers.splice(servers.indexOf(gateway), 1);
    if (wanted("workers")) {
      const workers = os.availableParallelism();
      const multi = await started(startGateway(setup.gatewayEnv, workers));
      const mw = await setup.sign(multi.url, "gateway");
      await warm(mw);
      let sent = 64; // warm-up
      for (const method of ["GET", "PUT"] as const) sent += (await smallCompare(method, [{ label: `gateway (${workers} workers)`, server: multi, signed: mw }]))[0].sent;
      const before = ev.count;
      const evm = await eventsVisible(setup.databaseUrl, before + sent);
      row("events", `gateway (${workers} workers)`, `${evm.count - before} written for ${sent} requests`, `visible after ${evm.ms.toFixed(0)} ms`);
    }
    if (wanted("verify")) {
      const v = await verifyCost();
      row("SigV4 verify", "header auth (GET)", `${v.header.toFixed(1)} µs/op`, `CPU time, ${v.ops} ops`);
      row("SigV4 verify", "presigned URL (GET)", `${v.presign.toFixed(1)} µs/op`, `CPU time, ${v.ops} ops`);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await setup.cleanup();
    printTable();
  }
}

function printTable() {
  if (!rows.length) return;
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  console.log(`\nKeygate gateway benchmark (node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(1)}, ${CONCURRENCY} connections, medians of ${ROUNDS} interleaved ${DURATION_MS / 1000} s runs per small-object figure, loopback)`);
  for (const r of rows) console.log("  " + r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
}

await main();
