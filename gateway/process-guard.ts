// The gateway's last line of defence. An exception or rejection that escapes all request
// handling is logged and counted; the process keeps serving every other client. Only genuinely
// fatal states (the port cannot be bound, out of memory) end the process.
//
// A request's close handler (where a torn-down socket once crashed the process) reports with its
// request id. Other escapes are logged without one: following every request through its async
// work (AsyncLocalStorage) would cost about 15 % of the gateway's throughput on Node 20, whose
// implementation hooks every promise.
import type { Metrics } from "./metrics";

type Kind = "exception" | "rejection";
let report: ((kind: Kind, err: unknown, requestId?: string) => void) | undefined;

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
  process.on("uncaughtException", (err) => report?.("exception", err));
  process.on("unhandledRejection", (err) => report?.("rejection", err));
}
