// The servers tests/bench/gateway.ts compares: the real gateway process (gateway/main.ts, one
// process or KEYGATE_GATEWAY_WORKERS workers), a bare node:http server with the same durability
// as the fs backend, and s3rver (a Node S3 server), each in a process of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

export type Server = { url: string; pids: () => number[]; stop: () => Promise<void> };

/** A port from KEYGATE_BENCH_PORT upwards when set, else any free one. */
let nextPort = Number(process.env.KEYGATE_BENCH_PORT ?? 0);
export function freePort(): Promise<number> {
  if (nextPort) return Promise.resolve(nextPort++);
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) a process used so far, from /proc (0 where there is none). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process is gone or this is not Linux
    }
  }
  return ticks / 100; // USER_HZ
}

/** Streams `body` into `file` and fsyncs it (awaited writes are the backpressure). */
export async function writeDurably(file: string, body: AsyncIterable<Buffer>): Promise<void> {
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

/** The baseline: GET streams a file, PUT writes temp + fsync + rename, like the fs backend. */
function bareHandler(dir: string): http.RequestListener {
  const fileOf = (url: string) => path.join(dir, encodeURIComponent(decodeURIComponent(url.slice(1).split("?")[0])));
  return async (req, res) => {
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
  };
}

const self = fileURLToPath(import.meta.url);

/** Starts this file as a child (`--bare dir port` or `--s3rver dir port`); resolves once it listens. */
async function startChild(kind: "bare" | "s3rver", dir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", self, `--${kind}`, dir, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`${kind} exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, pids: () => [child.pid!], stop: () => terminate(child) };
}
export const startBare = (dir: string) => startChild("bare", dir);
export const startS3rver = (dir: string) => startChild("s3rver", dir);

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => (clearTimeout(timer), resolve()));
    child.kill("SIGTERM");
  });
}

/** gateway/main.ts as `npm start` runs it; `profileDir` adds --cpu-prof (one profile per process). */
export async function startGateway(env: Record<string, string>, workers: number, profileDir?: string): Promise<Server> {
  const port = await freePort();
  const prof = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, ["--import", "tsx", ...prof, "gateway/main.ts"], {
    env: { ...process.env, ...env, KEYGATE_GATEWAY_PORT: String(port), KEYGATE_GATEWAY_WORKERS: String(workers) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || i > 600) throw new Error(`gateway did not start (${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const workerPids = () => {
    const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim();
    return [child.pid!, ...kids.split(/\s+/).filter(Boolean).map(Number)];
  };
  return { url, pids: () => (workers > 1 ? workerPids() : [child.pid!]), stop: () => terminate(child) };
}

async function childMain(kind: string, dir: string, port: number) {
  if (kind === "--bare") {
    const server = http.createServer(bareHandler(dir));
    server.keepAliveTimeout = 65_000;
    server.listen(port, "127.0.0.1", () => process.stdout.write("listening\n"));
    process.on("SIGTERM", () => (server.closeAllConnections(), server.close(() => process.exit(0))));
    return;
  }
  const specifier = "s3rver"; // untyped package
  const { default: S3rver } = (await import(specifier)) as { default: new (o: object) => { run(): Promise<unknown>; close(): Promise<void> } };
  const s3rver = new S3rver({ address: "127.0.0.1", port, silent: true, directory: dir, configureBuckets: [{ name: "bench" }] });
  await s3rver.run();
  process.stdout.write("listening\n");
  process.on("SIGTERM", () => void s3rver.close().finally(() => process.exit(0)));
}

if (process.argv[2] === "--bare" || process.argv[2] === "--s3rver") await childMain(process.argv[2], process.argv[3], Number(process.argv[4]));
