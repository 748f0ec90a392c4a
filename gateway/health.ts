// Liveness and readiness of a gateway process, for load balancers and orchestrators.
//   /health/live   200 while the process answers (never touches the database).
//   /health/ready  200 when PostgreSQL answers and the key-change LISTEN channel is up, else 503.
//   /health        the same as /health/ready: a load balancer must not send requests here
//                  while keys cannot be checked.
import type { IncomingMessage, ServerResponse } from "node:http";
import { databaseReachable } from "../lib/health";
import type { GatewayDeps } from "./s3-request";

/** Answers a health request and returns true, or returns false for any other request. */
export function handleHealth(req: IncomingMessage, res: ServerResponse, path: string, deps: GatewayDeps): boolean {
  if (req.method !== "GET" || !["/health", "/health/live", "/health/ready"].includes(path)) return false;
  const send = (status: number, body: string) =>
    res.writeHead(status, { "content-type": "text/plain", "cache-control": "no-store", ...(status === 503 ? { "retry-after": "5" } : {}) }).end(body);
  if (path === "/health/live") {
    send(200, "ok");
    return true;
  }
  void databaseReachable(deps.db).then(
    (reachable) => {
      if (!reachable) send(503, "database unavailable");
      else if (!deps.keys.cacheActive) send(503, "key-change channel not listening");
      else send(200, "ok");
    },
    () => send(503, "database unavailable"),
  );
  return true;
}
