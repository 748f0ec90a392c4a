// npm start's children (the web process, the gateway) stop when npm start is gone.
import cluster from "node:cluster";

/**
 * The supervisor (scripts/lib/stack.ts) gives the web and gateway processes an IPC channel for
 * one thing: when the supervisor dies without stopping them (kill -9, the OOM killer), the
 * channel closes and the process stops itself as on SIGTERM. They used to keep serving, on the
 * ports the next `npm start` needs. Processes started otherwise have no channel and are not
 * affected; cluster workers have one to their primary, which already ends them when it goes.
 */
export function stopWithSupervisor(name: string): void {
  if (!process.channel || cluster.isWorker) return;
  process.channel.unref(); // the channel alone keeps nothing running
  process.once("disconnect", () => {
    console.error(`[${name}] npm start is gone: stopping`);
    process.kill(process.pid, "SIGTERM");
  });
}
