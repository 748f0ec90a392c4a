// Starts the whole of Keygate: PostgreSQL (embedded unless DATABASE_URL is set), migrations,
// the web app and the gateway, each supervised (restarted when it dies). Used by `npm start`,
// the end-to-end tests and the benchmark. `exited` resolves when a part keeps crashing.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "../../lib/env";
import { startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres";
import { supervise, type Runner, type Supervised } from "./supervisor";
import { applyMigrations } from "./schema-engine";
import { formatSealingKeys, loadOrCreateKeyringFile } from "../../lib/keys/sealing";
import { generateAuthSecret, readOrCreateSecretFile } from "./secrets-files";
import { syncRegions } from "./sync-regions";

export type StackOptions = { env: Record<string, string | undefined>; dev?: boolean; quiet?: boolean; signal?: AbortSignal };
export type Stack = { webUrl: string; gatewayUrl: string; databaseUrl: string; childEnv: Record<string, string>; stop: () => Promise<void>; exited: Promise<string> };

export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = parseEnv(opts.env);
  await mkdir(env.dataDir, { recursive: true, mode: 0o700 });
  let pg: RunningPostgres | null = null;
  let databaseUrl = env.DATABASE_URL;
  const aborted = () => {
    if (opts.signal?.aborted) throw new Error("Start-up interrupted");
  };
  if (!databaseUrl) pg = await startEmbeddedPostgres({ dataDir: env.dataDir });
  try {
    if (pg) {
      await pg.createDatabase("keygate");
      databaseUrl = pg.url("keygate"); // the least-privileged role, for migrations and the app
    }
    aborted();
    await applyMigrations(databaseUrl!);
    await syncRegions(databaseUrl!, env.regions);
    aborted();
  } catch (err) {
    await pg?.stop();
    throw err;
  }
  const childEnv: Record<string, string> = {
    ...(opts.env as Record<string, string>),
    DATABASE_URL: databaseUrl!,
    KEYGATE_DATA_DIR: env.dataDir,
    NEXTAUTH_URL: env.publicUrl,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? (await readOrCreateSecretFile(path.join(env.dataDir, "auth-secret"), generateAuthSecret)),
    KEYGATE_SEALING_KEYS: env.KEYGATE_SEALING_KEYS ?? formatSealingKeys(await loadOrCreateKeyringFile(path.join(env.dataDir, "sealing-keys"))),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The IPC channel tells a child when this process is gone (lib/supervised.ts).
  const stdio: StdioOptions = opts.quiet ? ["ignore", "pipe", "pipe", "ipc"] : ["inherit", "inherit", "inherit", "ipc"];
  const spawnChild = (name: string, cmd: string, args: string[]) => async (): Promise<Runner> => {
    const child: ChildProcess = spawn(cmd, args, { env: childEnv as NodeJS.ProcessEnv, stdio });
    if (opts.quiet) {
      // Keep the output for failures without flooding test logs.
      child.stdout?.on("data", (d: Buffer) => process.env.KEYGATE_DEBUG_STACK && process.stderr.write(`[${name}] ${d}`));
      child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    }
    let stopped = false;
    const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => !stopped && resolve(`${name} exited (${signal ?? code})`)));
    return { exited, stop: () => ((stopped = true), terminate(child)) };
  };
  // Next.js behind our own node:http server: client address and body limits (scripts/web-server.ts).
  const startWeb = spawnChild("web", process.execPath, ["--import", "tsx", "scripts/web-server.ts", ...(opts.dev ? ["--dev"] : [])]);
  const startGateway = spawnChild("gateway", process.execPath, ["--import", "tsx", "gateway/main.ts"]);
  const [web, gateway] = await Promise.all([startWeb(), startGateway()]);
  // A child that dies during start-up fails the start; once up, each part is supervised.
  const startupExit = Promise.race([web.exited, gateway.exited, ...(pg ? [pg.exited()] : [])]);
  let supervised: Supervised[] = [];
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (supervised.length) {
        await Promise.all(supervised.slice(0, 2).map((s) => s.stop()));
        await supervised[2]?.stop();
      } else {
        await Promise.all([web.stop(), gateway.stop()]);
        await pg?.stop();
      }
    })();
    return stopping;
  };
  // A signal during start-up stops what already runs instead of orphaning it.
  const interrupted = new Promise<never>((_, reject) => {
    opts.signal?.addEventListener("abort", () => reject(new Error("Start-up interrupted")), { once: true });
  });
  await Promise.race([
    Promise.all([waitForHttp(`http://127.0.0.1:${env.KEYGATE_WEB_PORT}/api/health`), waitForHttp(`http://127.0.0.1:${env.KEYGATE_GATEWAY_PORT}/health`)]),
    startupExit.then((why) => Promise.reject(new Error(why))),
    interrupted,
  ]).catch(async (err) => {
    await stop();
    throw err;
  });
  supervised = [supervise(web, { name: "web", start: startWeb }), supervise(gateway, { name: "gateway", start: startGateway })];
  if (pg) {
    const db = pg;
    const postgres = async (): Promise<Runner> => ({ exited: db.exited(), stop: db.stop });
    supervised.push(supervise(await postgres(), { name: "PostgreSQL", start: async () => (await db.restart(), postgres()) }));
  }
  const exited = Promise.race(supervised.map((s) => s.gaveUp));
  return { webUrl: env.publicUrl, gatewayUrl: env.gatewayUrl, databaseUrl: databaseUrl!, childEnv, stop, exited };
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
