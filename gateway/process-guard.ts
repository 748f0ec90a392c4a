// The gateway's last line of defence. Every request runs inside a request context (its id),
// so an exception or rejection that escapes all request handling is still logged with the
// request it came from and counted; the process keeps serving every other client. Only
// genuinely fatal states (the port cannot be bound, out of memory) end the process.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Metrics } from "./metrics";

const requestContext = new AsyncLocalStorage<string>();

/** Runs `fn` with `requestId` as the current request (for the guard's log lines). */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return requestContext.run(requestId, fn);
}

export function installProcessGuard(metrics: Pick<Metrics, "unexpectedErrors">): void {
  const report = (kind: "exception" | "rejection") => (err: unknown) => {
    metrics.unexpectedErrors.inc({ kind });
    const requestId = requestContext.getStore();
    console.error(`[gateway${requestId ? ` ${requestId}` : ""}] unexpected ${kind}, still serving:`, err);
  };
  // A log whose reader is gone (a killed supervisor or test harness: EPIPE) is best effort. Its
  // error must not become an uncaught exception: logging that one would fail on the same stream
  // and spin the process at full speed, forever.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  process.on("uncaughtException", report("exception"));
  process.on("unhandledRejection", report("rejection"));
}
