// Gateway process entry point: `node --import tsx gateway/main.ts` (npm start runs it).
import { createDb } from "../lib/db";
import { loadEnvOrExit } from "../lib/env";
import { startJobs } from "../lib/jobs/run-jobs";
import { getRegionStorage } from "../lib/storage/regions";
import { stopWithSupervisor } from "../lib/supervised";
import { poolSizePerWorker, startWorkersIfPrimary } from "./cluster";
import { EventWriter } from "./event-writer";
import { KeyStore } from "./key-store";
import { createMetrics } from "./metrics";
import { installProcessGuard } from "./process-guard";
import { createGatewayServer } from "./server";

const env = loadEnvOrExit();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is not set (npm start sets it for the embedded database)");
  process.exit(1);
}
stopWithSupervisor("gateway");
// With KEYGATE_GATEWAY_WORKERS > 1 this process only supervises the workers (gateway/cluster.ts).
if (startWorkersIfPrimary(env.gatewayWorkers)) await new Promise<never>(() => {});
const db = createDb(env.DATABASE_URL, poolSizePerWorker(env.gatewayWorkers));
const metrics = createMetrics();
installProcessGuard(metrics);
const keys = new KeyStore(db, env.DATABASE_URL);
const events = new EventWriter(env.DATABASE_URL, {
  onDrop: (n) => metrics.eventsDropped.inc(n),
  onRefused: (n) => metrics.eventsRefused.inc(n),
});
const server = createGatewayServer(
  { db, keys, events, metrics, storageFor: getRegionStorage, domains: env.gatewayDomains },
  { metricsToken: env.KEYGATE_METRICS_TOKEN, idleTimeoutMs: env.KEYGATE_GATEWAY_IDLE_TIMEOUT_SECONDS * 1000 },
);
// Not being able to listen (port taken, bad address) is fatal; everything else is survived.
server.on("error", (err) => {
  console.error("[gateway] cannot listen:", err.message);
  process.exit(1);
});

await keys.start();
events.start();
// Key expiry events, expiry reminders and event retention. Every gateway replica runs the
// scheduler; an advisory lock lets one of them work per round.
const jobs = startJobs({ db });
server.listen(env.KEYGATE_GATEWAY_PORT, env.KEYGATE_GATEWAY_HOST, () =>
  console.log(`[gateway] S3 endpoint listening on ${env.KEYGATE_GATEWAY_HOST ?? ""}:${env.KEYGATE_GATEWAY_PORT}`),
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  await events.stop(); // flush buffered events before exiting
  await jobs.stop();
  await keys.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
