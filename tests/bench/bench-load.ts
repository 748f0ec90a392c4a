// The load generator of tests/bench/gateway.ts, run in its own process (`--load`, job on stdin) so
// it shares no event loop with the servers it measures. It only replays requests that were
// signed once beforehand (presigned URLs, pre-signed header sets): no signing work per request.
// It reports the CPU it used, so a saturated generator shows up in the table.
import { createReadStream } from "node:fs";
import http from "node:http";
import { Readable } from "node:stream";

export type Req = { url: string; headers: Record<string, string> };
export type SmallJob = {
  kind: "small"; method: "GET" | "PUT"; requests: Req[]; body?: string; concurrency: number; durationMs: number; warmupMs: number;
};
/** `blockFile` is repeated until `bytes` (PUT bodies cost the generator no hashing or disk reads). */
export type LargeJob = { kind: "large"; method: "GET" | "PUT"; request: Req; bytes: number; blockFile?: string };
export type LoadJob = SmallJob | LargeJob;
/** `cpu`: CPU seconds of the generator per wall second of the run (1 = one core busy). */
export type SmallResult = { requests: number; sent: number; errors: number; seconds: number; p50: number; p99: number; cpu: number; firstError?: string };
export type LargeResult = { seconds: number; bytes: number; status: number };

function send(agent: http.Agent, method: string, r: Req, body?: Buffer | Readable) {
  return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const req = http.request(r.url, { method, headers: r.headers, agent }, (res) => {
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

async function runSmall(job: SmallJob): Promise<SmallResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const body = job.body === undefined ? undefined : Buffer.from(job.body, "base64");
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let firstError: string | undefined;
  const warmEnd = performance.now() + job.warmupMs;
  const end = warmEnd + job.durationMs;
  let cpuAtWarmEnd: NodeJS.CpuUsage | undefined;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < end; i++) {
      const t0 = performance.now();
      if (t0 >= warmEnd) cpuAtWarmEnd ??= process.cpuUsage();
      const r = job.requests[(w * 32 + (i % 32)) % job.requests.length];
      sent++;
      const res = await send(agent, job.method, r, body).catch((err: Error) => ({ status: 0, bytes: 0, err }));
      const t1 = performance.now();
      if (res.status !== 200) {
        errors++;
        firstError ??= "err" in res ? res.err.message : `HTTP ${res.status}`;
      }
      if (t0 >= warmEnd) latencies.push(t1 - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - Math.max(started, warmEnd)) / 1000;
  const cpuUsed = process.cpuUsage(cpuAtWarmEnd);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6 / seconds;
  return { requests: latencies.length, sent, errors, seconds, p50: pct(0.5), p99: pct(0.99), cpu, firstError };
}

function repeated(block: Buffer, bytes: number): Readable {
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

async function readAll(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function runLarge(job: LargeJob): Promise<LargeResult> {
  const agent = new http.Agent({ keepAlive: false });
  const body = job.method === "PUT" ? repeated(await readAll(job.blockFile!), job.bytes) : undefined;
  const t0 = performance.now();
  const r = await send(agent, job.method, job.request, body);
  return { seconds: (performance.now() - t0) / 1000, bytes: job.method === "GET" ? r.bytes : job.bytes, status: r.status };
}

export async function loadMain(job: LoadJob): Promise<void> {
  const result = job.kind === "small" ? await runSmall(job) : await runLarge(job);
  process.stdout.write(JSON.stringify(result) + "\n");
}

// The job comes on stdin: hundreds of signed header sets exceed what one argv string may hold.
if (process.argv[2] === "--load") {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  await loadMain(JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadJob);
}
