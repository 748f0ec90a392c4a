// npm start: build when needed, then PostgreSQL (embedded unless DATABASE_URL is set),
// the web console and the S3 gateway, each restarted when it dies (scripts/lib/supervisor.ts);
// Ctrl-C / SIGTERM stops all of them cleanly, and so does a crash loop (exit code 1).
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadEnvOrExit } from "../lib/env";
import { buildIsStale } from "./lib/build";
import { startStack } from "./lib/stack";

// Like Next.js, read ./.env when present (variables already set win).
if (existsSync(".env")) process.loadEnvFile(".env");

async function main() {
  const env = loadEnvOrExit();
  const dev = process.argv.includes("--dev");
  // Signals are handled from the first moment: during start-up they abort it cleanly.
  const startup = new AbortController();
  let shutdown: ((code: number) => Promise<void>) | null = null;
  const onSignal = () => (shutdown ? void shutdown(0) : startup.abort());
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  if (!dev && buildIsStale()) {
    console.log("Building the web console (first start or sources changed)…");
    const res = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (startup.signal.aborted) process.exit(0);
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
  const stack = await startStack({ env: process.env, dev, signal: startup.signal });
  console.log(`
  Keygate is running
    Console:  ${stack.webUrl}
    Gateway:  ${stack.gatewayUrl}   (S3 endpoint, region "${env.regions[0].id}")
    Database: ${env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL in ${path.join(env.dataDir, "postgres")}`}

  Sign in: open ${stack.webUrl}/signin and enter your email address.
  ${env.RESEND_API_KEY ? "The sign-in link is sent with Resend." : `Without RESEND_API_KEY the sign-in link is printed here and written to ${path.join(env.dataDir, "outbox.jsonl")}.`}
  Press Ctrl-C to stop.
`);
  let stopping = false;
  shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Keygate…");
    await stack.stop();
    process.exit(code);
  };
  stack.exited.then((why) => {
    if (!stopping) console.error(`[keygate] ${why}`);
    void shutdown?.(1);
  });
}

main().catch((err) => {
  const interrupted = err instanceof Error && err.message === "Start-up interrupted";
  console.error(interrupted ? "Stopped during start-up." : err instanceof Error ? err.message : err);
  process.exit(interrupted ? 0 : 1);
});
