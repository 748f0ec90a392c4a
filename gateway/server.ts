import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";
import { regionOfHost } from "../lib/storage/regions";
import { CorsRules } from "./cors";
import { handleHealth } from "./health";
import { handleS3Request, type GatewayDeps } from "./s3-request";

export type GatewayServerOptions = {
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** A connection silent this long mid-request (a stalled upload) is answered RequestTimeout and closed. Default 60 s. */
  idleTimeoutMs?: number;
};

/** The gateway's HTTP server: /health[/live|/ready] and /metrics for operators, everything else is S3. */
export function createGatewayServer(gatewayDeps: GatewayDeps, opts: GatewayServerOptions = {}): http.Server {
  const deps: GatewayDeps = { ...gatewayDeps, cors: gatewayDeps.cors ?? new CorsRules(gatewayDeps.db, regionOfHost) };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Every answer, not only S3 ones (health, metrics, CORS preflight): the gateway shares a
    // site with uploaded content, so no response of it may be sniffed into something active.
    res.setHeader("x-content-type-options", "nosniff");
    const path = (req.url ?? "/").split("?")[0];
    if (handleHealth(req, res, path, deps) || handleMetrics(req, res, path, deps, opts.metricsToken)) {
      // These read no body: a client silent in one is cut, while a slow answer is waited for.
      res.on("timeout", (socket: Socket) => {
        if (!req.complete && !socket.isPaused()) socket.destroy();
      });
      return;
    }
    void handleS3Request(req, res, deps); // answers a client silent mid-body with RequestTimeout
  };
  const server = http.createServer(onRequest);
  // S3 ignores an Expect header it does not know; node would answer 417.
  server.on("checkExpectation", onRequest);
  // "100 Continue" only once the handler starts reading the body: a refused upload (403, 400)
  // is answered before the client sends its body, and the connection then closes.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.once("resume", () => {
      if (!res.headersSent && !res.writableEnded) res.writeContinue();
    });
    onRequest(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  server.requestTimeout = 0; // large uploads may take long: bounded by the idle timeout instead
  // Socket inactivity: see the "timeout" listeners (above; s3-request.ts for S3 requests).
  server.timeout = opts.idleTimeoutMs ?? 60_000;
  return server;
}

/** Answers GET /metrics and returns true, or returns false for any other request. */
function handleMetrics(req: http.IncomingMessage, res: http.ServerResponse, path: string, deps: GatewayDeps, token?: string): boolean {
  // A SigV4 Authorization header means an S3 request for a bucket named "metrics".
  const authorization = req.headers.authorization;
  if (req.method !== "GET" || path !== "/metrics" || (authorization && !authorization.startsWith("Bearer "))) return false;
  if (token && !bearerMatches(authorization, token)) {
    res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("unauthorized");
    return true;
  }
  deps.metrics.registry.metrics().then(
    (text) => res.writeHead(200, { "content-type": deps.metrics.registry.contentType }).end(text),
    () => res.writeHead(500).end(),
  );
  return true;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
