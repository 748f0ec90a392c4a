// KEYGATE_GATEWAY_WORKERS: the gateway as N worker processes sharing one port (node:cluster),
// so every core serves S3 requests. Each worker is a complete gateway (gateway/main.ts): its
// own key cache and LISTEN connection (so invalidations reach every worker), its own event
// writer (flushed on its own shutdown), its own metrics. The primary only forks, restarts a
// worker that died, and on SIGTERM/SIGINT stops the workers gracefully, then exits.
import cluster, { type Worker } from "node:cluster";

const STOP_TIMEOUT_MS = 30_000;
const RESTART_DELAY_MS = 1000;

/** Database connections of the whole gateway, shared out between the workers (at least 4 each). */
export function poolSizePerWorker(workers: number, total = 20): number {
  return cluster.isWorker ? Math.max(4, Math.ceil(total / workers)) : total;
}

/**
 * In the primary process of a multi-worker gateway: forks the workers and supervises them, and
 * returns true (the caller must not start a gateway itself). In a worker, or with one worker,
 * returns false: the caller is the gateway.
 */
export function startWorkersIfPrimary(workers: number): boolean {
  if (workers <= 1 || !cluster.isPrimary) return false;
  let stopping = false;
  const alive = new Set<Worker>();
  const fork = () => alive.add(cluster.fork());
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker: Worker, code, signal) => {
    alive.delete(worker);
    if (stopping) {
      if (alive.size === 0) process.exit(0);
      return;
    }
    console.error(`[gateway] worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    setTimeout(() => stopping || fork(), RESTART_DELAY_MS);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (alive.size === 0) process.exit(0);
    // Each worker closes its server, flushes its events and exits (gateway/main.ts shutdown).
    for (const w of alive) w.process.kill("SIGTERM");
    setTimeout(() => {
      for (const w of alive) w.process.kill("SIGKILL");
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  console.log(`[gateway] primary ${process.pid}: ${workers} workers`);
  return true;
}
