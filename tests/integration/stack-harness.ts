// `npm start` as an operator runs it (a real process tree: supervisor, PostgreSQL, web, gateway),
// for the supervision and first-run tests, plus helpers to find, freeze and kill its parts.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildIsStale } from "../../scripts/lib/build";
import { findFreePort } from "../../scripts/lib/embedded-postgres";

export type NpmStart = {
  proc: ChildProcess;
  web: string;
  gateway: string;
  dataDir: string;
  output: () => string;
  /** SIGTERM (or Ctrl-C: SIGINT to the whole process group, as a terminal sends it), then the exit code. */
  stop: (how?: "SIGTERM" | "ctrl-c") => Promise<number | null>;
};

/** The stack tests serve the production build; they never build it themselves (minutes). */
export function assertBuilt(cwd = process.cwd()): void {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    if (buildIsStale()) throw new Error("The web console's build is missing or stale: run `npx next build` first (npm test does).");
  } finally {
    process.chdir(previous);
  }
}

/**
 * `firstPort`: look for the web and gateway ports from there (default: a random one from 3400).
 * `ownGroup`: its own process group, as in a terminal (needed for stop("ctrl-c")).
 * `viaNpm`: run the real `npm start` (npm, then node running scripts/start.ts).
 */
export async function npmStart(opts: { cwd: string; dataDir: string; timeoutMs?: number; firstPort?: number; ownGroup?: boolean; viaNpm?: boolean }): Promise<NpmStart> {
  const webPort = await findFreePort(opts.firstPort ?? 3400 + Math.floor(Math.random() * 400));
  const gatewayPort = await findFreePort(webPort + 1);
  const web = `http://localhost:${webPort}`;
  const gateway = `http://localhost:${gatewayPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, KEYGATE_DATA_DIR: opts.dataDir, KEYGATE_WEB_PORT: String(webPort), KEYGATE_GATEWAY_PORT: String(gatewayPort),
    KEYGATE_PUBLIC_URL: web, KEYGATE_GATEWAY_URL: gateway, NODE_ENV: "production",
  };
  for (const name of ["DATABASE_URL", "RESEND_API_KEY", "NEXTAUTH_SECRET", "KEYGATE_SEALING_KEYS", "KEYGATE_REGIONS"]) delete env[name];
  // `npm start` itself, or what it runs without npm in between (one process less).
  const [cmd, args] = opts.viaNpm ? ["npm", ["start"]] : [process.execPath, ["--import", "tsx", "scripts/start.ts"]];
  const proc = spawn(cmd, args, { cwd: opts.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: opts.ownGroup });
  let output = "";
  proc.stdout!.on("data", (d: Buffer) => (output += d));
  proc.stderr!.on("data", (d: Buffer) => (output += d));
  const exit = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  while (!output.includes("Keygate is running")) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGTERM");
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async (how: "SIGTERM" | "ctrl-c" = "SIGTERM") => {
    if (proc.exitCode === null) {
      if (how === "ctrl-c" && opts.ownGroup) process.kill(-proc.pid!, "SIGINT");
      else proc.kill("SIGTERM");
    }
    return exit;
  };
  return { proc, web, gateway, dataDir: opts.dataDir, output: () => output, stop };
}

/** All descendants of a process (the supervisor's children and theirs). */
export function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};

/** The gateway process of a running npm start. */
export function gatewayPid(start: NpmStart): number {
  const pid = descendants(start.proc.pid!).find((p) => cmdline(p).includes("gateway/main.ts"));
  if (!pid) throw new Error("no gateway process found");
  return pid;
}

export { isAlive } from "../../scripts/lib/embedded-postgres";

/** The postmaster (line 1 of postmaster.pid) and its port (line 4). */
export function postmaster(dataDir: string): { pid: number; port: number } {
  const lines = readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** Every PostgreSQL process of the cluster: stopping only the postmaster leaves backends serving. */
export function postgresPids(dataDir: string): number[] {
  const { pid } = postmaster(dataDir);
  return [pid, ...descendants(pid)];
}

/** The app's own connection (the least-privileged `keygate` role). */
export function appDatabaseUrl(dataDir: string): string {
  const password = readFileSync(path.join(dataDir, "keygate.password"), "utf8").trim();
  return `postgresql://keygate:${encodeURIComponent(password)}@127.0.0.1:${postmaster(dataDir).port}/keygate`;
}

/** Polls `check` until it returns true; returns the milliseconds it took. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
}

/** Status of a GET, or 0 when the request fails; with a timer. */
export async function timedGet(url: string, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) }).catch(() => null);
  const body = res ? await res.text().catch(() => "") : "";
  return { status: res?.status ?? 0, ms: Date.now() - started, body, headers: res?.headers ?? new Headers() };
}
