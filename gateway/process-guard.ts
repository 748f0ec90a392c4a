// The gateway's last line of defence. Every request runs inside a request context (its id),
// so an exception or rejection that escapes all request handling is still logged with the
// request it came from and counted; the process keeps serving every other client. Only
// genuinely fatal states (the port cannot be bound, out of memory) end the process.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Metrics } from "./metrics";

const requestContext = new AsyncLocalStorage<string>();
type Kind = "exception" | "rejection";
let report: ((kind: Kind, err: unknown, requestId: string | undefined) => void) | undefined;

/** Runs `fn` with `requestId` as the current request (for the guard's log lines). */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return requestContext.run(requestId, fn);
}

/**
 * `listener` for an event of request `requestId` (its response's "close"): what it throws is
 * reported as an unexpected exception of that request. Left to propagate, it would reach the
 * uncaught-exception handler outside the request's context (a socket torn down by a client
 * that went away), and the log line could not say which request it was.
 */
export function requestListener<A extends unknown[]>(requestId: string, listener: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      listener(...args);
    } catch (err) {
      if (!report) throw err; // no guard installed (an in-process test server): fail loudly
      report("exception", err, requestId);
    }
  };
}

export function installProcessGuard(metrics: Pick<Metrics, "unexpectedErrors">): void {
  report = (kind, err, requestId) => {
    metrics.unexpectedErrors.inc({ kind });
    console.error(`[gateway${requestId ? ` ${requestId}` : ""}] unexpected ${kind}, still serving:`, err);
  };
  // A log whose reader is gone (a killed supervisor or test harness: EPIPE) is best effort. Its
  // error must not become an uncaught exception: logging that one would fail on the same stream
  // and spin the process at full speed, forever.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  process.on("uncaughtException", (err) => report?.("exception", err, requestContext.getStore()));
  process.on("unhandledRejection", (err) => report?.("rejection", err, requestContext.getStore()));
}
