import http from "node:http";
import { handleHealth } from "./health";
import { handleS3Request, type GatewayDeps } from "./s3-request";

/** The gateway's HTTP server: /health[/live|/ready] and /metrics for operators, everything else is S3. */
export function createGatewayServer(deps: GatewayDeps): http.Server {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (handleHealth(req, res, path, deps)) return;
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
