import http from "node:http";
import { regionOfHost } from "../lib/storage/regions";
import { CorsRules } from "./cors";
import { handleS3Request, type GatewayDeps } from "./s3-request";

/** The gateway's HTTP server: /health and /metrics for operators, everything else is S3. */
export function createGatewayServer(gatewayDeps: GatewayDeps): http.Server {
  const deps: GatewayDeps = { ...gatewayDeps, cors: gatewayDeps.cors ?? new CorsRules(gatewayDeps.db, regionOfHost) };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (req.method === "GET" && path === "/metrics" && !req.headers.authorization) {
      deps.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": deps.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    void handleS3Request(req, res, deps);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  server.requestTimeout = 0; // large uploads may take long; idle sockets are bounded by headersTimeout
  return server;
}
