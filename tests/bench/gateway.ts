// Gateway benchmark: `npx tsx tests/bench/gateway.ts`. One run prints, side by side:
// - 4 KiB GET and PUT through the gateway (SigV4-signed, full path: key store, scope, fs
//   backend, events) vs a bare node:http server storing the same bytes on the same disk with
//   the same durability (temp file, fsync, rename): requests/s, p50, p99;
// - 256 MiB PUT and GET throughput vs a raw disk stream copy of the same size;
// - the CPU cost of SigV4 verification alone (verifyRequest with an in-memory key lookup).
// Sections can be picked: `npx tsx tests/bench/gateway.ts small verify`.
// The load generator runs in a child process (this file with --load) so it does not share an
// event loop with the servers it measures. Loopback only; every loop is bounded in time or count.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createSigner, type SigV4Credentials, type Signer } from "./sign";

const SMALL = 4 * 1024;
const LARGE = 256 * 1024 * 1024;
const CONCURRENCY = 16;
const DURATION_MS = 5000;
const WARMUP_MS = 500;
const LARGE_RUNS = 3;
const VERIFY_OPS = 20_000;
const EMPTY_SHA = createHash("sha256").update("").digest("hex");
/** Optional section names on the command line (small, large, verify); default: all. */
const wanted = (section: string) => process.argv[2] === "--load" || process.argv.length <= 2 || process.argv.slice(2).includes(section);

type Target = { base: string; creds?: SigV4Credentials };
type LoadJob =
  | { kind: "small"; method: "GET" | "PUT"; target: Target; concurrency: number; durationMs: number }
  | { kind: "large"; method: "GET" | "PUT"; target: Target; bytes: number; path: string };
type SmallResult = { requests: number; errors: number; seconds: number; p50: number; p99: number; firstError?: string };
type LargeResult = { seconds: number; bytes: number; status: number };

// ---------- load generator (child process) ----------

async function request(signer: Signer | null, agent: http.Agent, method: string, url: string, body?: Buffer | Readable, size?: number, bodyHash?: string) {
  let headers: Record<string, string> = {};
  let target = url;
  if (signer) {
    const payloadHash = body === undefined ? EMPTY_SHA : (bodyHash ?? "UNSIGNED-PAYLOAD");
    const signed = await signer({ method, url, payloadHash, headers: size === undefined ? {} : { "content-length": String(size) } });
    headers = signed.headers;
    target = signed.url;
  } else if (size !== undefined) headers["content-length"] = String(size);
  return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const req = http.request(target, { method, headers, agent }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

async function runSmall(job: Extract<LoadJob, { kind: "small" }>): Promise<SmallResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const signer = job.target.creds ? await createSigner(job.target.creds) : null;
  const payload = randomBytes(SMALL);
  const payloadHash = createHash("sha256").update(payload).digest("hex");
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const warmEnd = performance.now() + WARMUP_MS;
  const end = warmEnd + job.durationMs;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < end; i++) {
      const t0 = performance.now();
      const url = `${job.target.base}/small-${w}-${i % 32}`;
      const r = job.method === "GET"
        ? await request(signer, agent, "GET", `${job.target.base}/small-get`)
        : await request(signer, agent, "PUT", url, payload, SMALL, payloadHash);
      const t1 = performance.now();
      if (r.status !== 200) {
        errors++;
        firstError ??= `HTTP ${r.status}`;
      }
      if (t0 >= warmEnd) latencies.push(t1 - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - Math.max(started, warmEnd)) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { requests: latencies.length, errors, seconds, p50: pct(0.5), p99: pct(0.99), firstError };
}

/** A LARGE-byte body produced from one random MiB, so the client costs no disk I/O. */
function generated(bytes: number): Readable {
  const block = randomBytes(1024 * 1024);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const piece = left >= block.length ? block : block.subarray(0, left);
      left -= piece.length;
      this.push(piece);
    },
  });
}

async function runLarge(job: Extract<LoadJob, { kind: "large" }>): Promise<LargeResult> {
  const agent = new http.Agent({ keepAlive: false });
  const signer = job.target.creds ? await createSigner(job.target.creds) : null;
  const url = `${job.target.base}/${job.path}`;
  const t0 = performance.now();
  const r = job.method === "PUT"
    ? await request(signer, agent, "PUT", url, generated(job.bytes), job.bytes)
    : await request(signer, agent, "GET", url);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bytes: job.method === "GET" ? r.bytes : job.bytes, status: r.status };
}

async function loadMain(job: LoadJob) {
  const result = job.kind === "small" ? await runSmall(job) : await runLarge(job);
  process.stdout.write(JSON.stringify(result) + "\n");
}

function load<T>(job: LoadJob): Promise<T> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", self, "--load", JSON.stringify(job)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as T) : reject(new Error(`load generator exited ${code}`))));
  });
}

// ---------- servers (main process) ----------

/** The baseline: GET streams a file, PUT writes temp + fsync + rename, like the fs backend. */
function bareServer(dir: string): http.Server {
  const fileOf = (url: string) => path.join(dir, encodeURIComponent(decodeURIComponent(url.slice(1).split("?")[0])));
  const server = http.createServer(async (req, res) => {
    const file = fileOf(req.url ?? "/");
    try {
      if (req.method === "GET") {
        const st = await fsp.stat(file);
        res.writeHead(200, { "content-length": st.size, "content-type": "application/octet-stream" });
        await pipeline(createReadStream(file), res);
      } else if (req.method === "PUT") {
        const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
        await writeDurably(tmp, req);
        await fsp.rename(tmp, file);
        res.writeHead(200, { "content-length": 0 }).end();
      } else res.writeHead(405).end();
    } catch (err) {
      if (!res.headersSent) res.writeHead((err as NodeJS.ErrnoException).code === "ENOENT" ? 404 : 500).end();
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Streams `body` into `file` and fsyncs it (awaited writes are the backpressure). */
async function writeDurably(file: string, body: AsyncIterable<Buffer>): Promise<void> {
  const h = await fsp.open(file, "w");
  try {
    let position = 0;
    for await (const chunk of body) {
      for (let done = 0; done < chunk.length; ) done += (await h.write(chunk, done, chunk.length - done, position + done)).bytesWritten;
      position += chunk.length;
    }
    await h.sync();
  } finally {
    await h.close();
  }
}

const listen = (server: http.Server) =>
  new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

async function diskCopy(dir: string, bytes: number): Promise<number> {
  const src = path.join(dir, "raw-src");
  const dst = path.join(dir, "raw-dst");
  await pipeline(generated(bytes), createWriteStream(src));
  const times: number[] = [];
  for (let i = 0; i < LARGE_RUNS; i++) {
    const t0 = performance.now();
    await writeDurably(dst, createReadStream(src));
    times.push((performance.now() - t0) / 1000);
    await fsp.rm(dst);
  }
  await fsp.rm(src);
  return median(times);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function verifyCost(): Promise<{ header: number; presign: number }> {
  const { verifyRequest } = await import("../../gateway/sigv4");
  const creds = { accessKeyId: "KGBENCHVERIFY0000001", secret: "kgs_bench_secret_0123456789abcdef", region: "local" };
  const records = new Map([[creds.accessKeyId, { secret: creds.secret, region: creds.region }]]);
  const lookup = async (id: string) => records.get(id) ?? null;
  const signer = await createSigner(creds);
  const signed = await signer({ method: "GET", url: "http://127.0.0.1:9000/bucket/some/object.txt?versionId=null", payloadHash: EMPTY_SHA, headers: { "user-agent": "bench" } });
  const u = new URL(signed.url);
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), [v]]));
  const now = new Date();
  const time = async (req: { method: string; url: string; headers: Record<string, string[]> }) => {
    for (let i = 0; i < 1000; i++) await verifyRequest(req, { now, lookup }); // warm-up (JIT)
    const t0 = performance.now();
    for (let i = 0; i < VERIFY_OPS; i++) {
      const r = await verifyRequest(req, { now, lookup });
      if (!r.ok) throw new Error(`verify failed: ${r.code}`);
    }
    return ((performance.now() - t0) * 1000) / VERIFY_OPS;
  };
  const header = await time({ method: "GET", url: u.pathname + u.search, headers });
  const { S3Client, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const sdk = new S3Client({ endpoint: "http://127.0.0.1:9000", region: "local", forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret } });
  const p = new URL(await getSignedUrl(sdk, new GetObjectCommand({ Bucket: "bucket", Key: "some/object.txt" }), { expiresIn: 3600 }));
  const presign = await time({ method: "GET", url: p.pathname + p.search, headers: { host: [p.host] } });
  return { header, presign };
}

async function main() {
  const [{ startEmbeddedPostgres }, { applyMigrations }, { syncRegions }] = await Promise.all([
    import("../../scripts/lib/embedded-postgres"), import("../../scripts/lib/schema-engine"), import("../../scripts/lib/sync-regions"),
  ]);
  const [{ createDb }, { setKeyring }, { parseSealingKeys }, { createMasterKey }, { createBucket }, { createFsBackend }] = await Promise.all([
    import("../../lib/db"), import("../../lib/keys/keyring"), import("../../lib/keys/sealing"), import("../../lib/keys/create-keys"),
    import("../../lib/buckets/buckets"), import("../../lib/storage"),
  ]);
  const [{ KeyStore }, { EventWriter }, { createMetrics }, { createGatewayServer }] = await Promise.all([
    import("../../gateway/key-store"), import("../../gateway/event-writer"), import("../../gateway/metrics"), import("../../gateway/server"),
  ]);

  const dataDir = path.resolve("test-data/bench-gateway");
  const objects = path.join(dataDir, "objects");
  const bare = path.join(dataDir, "bare");
  await fsp.rm(objects, { recursive: true, force: true });
  await fsp.rm(bare, { recursive: true, force: true });
  await fsp.mkdir(bare, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir, quiet: true });
  const database = `keygate_bench_${Date.now()}`;
  await pg.createDatabase(database);
  const url = pg.url(database);
  await applyMigrations(url);
  await syncRegions(url, [{ id: "local", endpoint: "http://localhost:9000", backend: { type: "fs" } }]);

  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
  const db = createDb(url, 20);
  const storage = createFsBackend(objects);
  const keys = new KeyStore(db, url);
  const events = new EventWriter(url);
  await keys.start();
  events.start();
  const gateway = createGatewayServer({ db, keys, events, metrics: createMetrics(), storageFor: () => storage, domains: ["localhost"] });
  const bareSrv = bareServer(bare);
  const [gwUrl, bareUrl] = await Promise.all([listen(gateway), listen(bareSrv)]);

  try {
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@keygate.test`, name: "Bench" } });
    const org = await db.organization.create({ data: { name: "Bench" } });
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "ADMIN" } });
    const project = await db.project.create({ data: { orgId: org.id, name: "bench" } });
    const ctx = { actor: { userId: user.id, name: user.name, email: user.email }, orgId: org.id, role: "ADMIN" as const };
    await createBucket(db, ctx, { projectId: project.id, regionId: "local", name: "bench" }, () => storage);
    const key = await createMasterKey(db, ctx, { projectId: project.id, name: "bench", regionId: "local" });
    const creds = { accessKeyId: key.accessKeyId, secret: key.secret, region: "local" };
    const gwTarget: Target = { base: `${gwUrl}/bench`, creds };
    const bareTarget: Target = { base: bareUrl };

    // The object the GET loops read, on both sides.
    const small = randomBytes(SMALL);
    await storage.putObject("bench", "small-get", Readable.from([small]), { userMetadata: {} });
    await fsp.writeFile(path.join(bare, "small-get"), small);

    const rows: string[][] = [];
    const smallJob = (method: "GET" | "PUT", target: Target): LoadJob => ({ kind: "small", method, target, concurrency: CONCURRENCY, durationMs: DURATION_MS });
    for (const method of ["GET", "PUT"] as const) {
      if (!wanted("small")) break;
      const g = await load<SmallResult>(smallJob(method, gwTarget));
      const b = await load<SmallResult>(smallJob(method, bareTarget));
      for (const [name, r] of [["gateway", g], ["bare node:http", b]] as const) {
        if (r.errors) console.error(`${name} ${method}: ${r.errors} errors (first: ${r.firstError})`);
        rows.push([`4 KiB ${method}`, name, (r.requests / r.seconds).toFixed(0) + " req/s", `p50 ${r.p50.toFixed(2)} ms`, `p99 ${r.p99.toFixed(2)} ms`]);
      }
      rows.push([`4 KiB ${method}`, "gateway / bare", `${((g.requests / g.seconds) / (b.requests / b.seconds) * 100).toFixed(0)} %`, "", ""]);
    }

    const mbps = (bytes: number, s: number) => `${(bytes / 1e6 / s).toFixed(0)} MB/s`;
    for (const method of ["PUT", "GET"] as const) {
      if (!wanted("large")) break;
      for (const [name, target] of [["gateway", gwTarget], ["bare node:http", bareTarget]] as const) {
        const times: number[] = [];
        for (let i = 0; i < LARGE_RUNS; i++) {
          const r = await load<LargeResult>({ kind: "large", method, target, bytes: LARGE, path: "large.bin" });
          if (r.status !== 200 || r.bytes !== LARGE) throw new Error(`${name} ${method} 256 MiB: HTTP ${r.status}, ${r.bytes} bytes`);
          times.push(r.seconds);
        }
        rows.push([`256 MiB ${method}`, name, mbps(LARGE, median(times)), `median of ${LARGE_RUNS}`, ""]);
      }
    }
    if (wanted("large")) rows.push(["256 MiB copy", "raw disk (stream copy + fsync)", mbps(LARGE, await diskCopy(dataDir, LARGE)), `median of ${LARGE_RUNS}`, ""]);

    if (wanted("verify")) {
      const verify = await verifyCost();
      rows.push(["SigV4 verify", "header auth (GET)", `${verify.header.toFixed(1)} µs/op`, `${VERIFY_OPS} ops`, ""]);
      rows.push(["SigV4 verify", "presigned URL (GET)", `${verify.presign.toFixed(1)} µs/op`, `${VERIFY_OPS} ops`, ""]);
    }

    await events.flush();
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log(`\nKeygate gateway benchmark (node ${process.version}, ${CONCURRENCY} connections, ${DURATION_MS / 1000} s per small-object run, loopback)`);
    for (const r of rows) console.log("  " + r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  } finally {
    gateway.closeAllConnections();
    bareSrv.closeAllConnections();
    await Promise.all([new Promise((r) => gateway.close(r)), new Promise((r) => bareSrv.close(r))]);
    await events.stop();
    await keys.stop();
    await db.$disconnect();
    await pg.stop();
    await fsp.rm(objects, { recursive: true, force: true });
    await fsp.rm(bare, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--load") await loadMain(JSON.parse(process.argv[3]) as LoadJob);
else await main();
