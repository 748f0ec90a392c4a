// A real gateway process (gateway/main.ts, as `npm start` runs it) on the test database, with
// two organizations that each have a bucket and a master key; plus a raw HTTP/1.1 client that
// can send what no well-behaved client library would (NUL bytes, lying lengths, aborts).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createFsBackend } from "../../lib/storage";
import { findFreePort } from "../../scripts/lib/embedded-postgres";
import { send } from "../bench/sign";
import { createOrgWith, testDb } from "./helpers";

export type Tenant = { key: IssuedKey; bucket: string; projectId: string };
export const METRICS_TOKEN = "fuzz-metrics-token-0123456789";

/** `portBase`: where the search for a free port starts (a suite's own range keeps runs apart). */
export async function startGatewayProcess(opts: { portBase?: number } = {}) {
  const keyring = `1:${randomBytes(32).toString("base64")}`;
  setKeyring(parseSealingKeys(keyring)); // the child unseals with the same keyring
  const dir = await mkdtemp(path.join(os.tmpdir(), "keygate-fuzz-"));
  const objects = path.join(dir, "objects");
  const port = await findFreePort((opts.portBase ?? 4100) + Math.floor(Math.random() * 80));
  const url = `http://127.0.0.1:${port}`;
  const tenant = async (name: string): Promise<Tenant> => {
    const { org, members } = await createOrgWith(["ADMIN"]);
    const project = await testDb().project.create({ data: { orgId: org.id, name } });
    const bucket = `${name}-${randomBytes(3).toString("hex")}`;
    await createBucket(testDb(), members.ADMIN, { projectId: project.id, regionId: "local", name: bucket }, () => createFsBackend(objects));
    const key = await createMasterKey(testDb(), members.ADMIN, { projectId: project.id, name, regionId: "local" });
    return { key, bucket, projectId: project.id };
  };
  const attacker = await tenant("attacker");
  const victim = await tenant("victim");
  let output = "";
  const env = {
    ...process.env,
    DATABASE_URL: inject("databaseUrl"),
    KEYGATE_GATEWAY_PORT: String(port),
    KEYGATE_GATEWAY_HOST: "127.0.0.1",
    KEYGATE_GATEWAY_IDLE_TIMEOUT_SECONDS: "2",
    KEYGATE_METRICS_TOKEN: METRICS_TOKEN,
    KEYGATE_SEALING_KEYS: keyring,
    KEYGATE_DATA_DIR: path.join(dir, "data"),
    KEYGATE_REGIONS: JSON.stringify([{ id: "local", backend: { type: "fs", path: objects } }]),
  };
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  const deadline = Date.now() + 90_000; // tsx compiling the gateway on a saturated machine took over 30 s
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}):\n${output}`);
    if (await send(`${url}/health`).then((r) => r.status === 200, () => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL"); // never leave an orphan serving (and logging) after a failed start
      throw new Error(`gateway did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, port, attacker, victim, child, objects,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type GatewayProcess = Awaited<ReturnType<typeof startGatewayProcess>>;

export type RawAnswer = { status: number | null; code: string | null; requestId: string | null; note: string };

/**
 * Sends raw bytes and reads one response. `body` pieces are written in order; `then` says what
 * the client does afterwards: wait for the answer (default), abort (destroy the socket), or
 * stay silent (the server's idle timeout must end it).
 */
export function rawRequest(port: number, head: string, body: Buffer[] = [], opts: { abortAfterMs?: number; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (note: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({
        status: status ? Number(status[1]) : null,
        code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? null,
        requestId: /x-amz-request-id: (\w+)/i.exec(text)?.[1] ?? null,
        note: status ? note : `no answer (${note})`,
      });
    };
    const timer = setTimeout(() => finish("client timeout"), opts.timeoutMs ?? 10_000);
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0 || text.startsWith("HTTP/1.1 100")) {
        if (text.startsWith("HTTP/1.1 100") && end >= 0) chunks.splice(0, chunks.length, Buffer.from(text.slice(end + 4), "latin1"));
        return;
      }
      const length = /content-length: (\d+)/i.exec(text.slice(0, end));
      if (length && text.length - end - 4 >= Number(length[1])) finish("answered");
    });
    socket.on("error", (err: NodeJS.ErrnoException) => finish(`connection ${err.code ?? "error"}`));
    socket.on("close", () => finish("connection closed"));
    socket.on("connect", () => {
      socket.write(head);
      for (const piece of body) socket.write(piece);
      if (opts.abortAfterMs !== undefined) setTimeout(() => finish("client aborted"), opts.abortAfterMs);
    });
  });
}
