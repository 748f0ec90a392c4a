// The web process: Next.js behind a plain node:http server, so two things happen before Next
// sees a request. (1) The client address is resolved from the TCP peer and
// KEYGATE_TRUSTED_PROXIES (Next itself only copies X-Forwarded-For when it is absent, so the
// real peer is lost whenever a client sends one) and handed on in a header the client cannot
// set. (2) Bodies over the limit of their endpoint are refused before any byte is read.
import { createServer } from "node:http";
import { loadEnvOrExit } from "../lib/env";
import { checkBodyHeaders } from "../lib/net/body-limits";
import { CLIENT_IP_HEADER, resolveClientIp } from "../lib/net/client-ip";
import { stopWithSupervisor } from "../lib/supervised";

const env = loadEnvOrExit();
const dev = process.argv.includes("--dev");
// What `next start` / `next dev` set; Next reads it while loading, hence the late import.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
const { default: next } = await import("next");
const hostname = env.KEYGATE_WEB_HOST;
const app = next({ dev, dir: process.cwd(), hostname, port: env.KEYGATE_WEB_PORT });
const handle = app.getRequestHandler();

await app.prepare();

const server = createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?")[0];
  const verdict = checkBodyHeaders(pathname, req.headers);
  if (!verdict.ok) {
    // Answer and hang up: leaving the body unread means node would otherwise drain it.
    res.writeHead(verdict.status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", connection: "close" });
    res.end(verdict.message, () => req.socket.destroy());
    return;
  }
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], env.trustedProxies);
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
  handle(req, res).catch((err: unknown) => {
    console.error("[web] unhandled", err);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(env.KEYGATE_WEB_PORT, hostname, () => console.log(`[web] listening on http://${hostname}:${env.KEYGATE_WEB_PORT}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
stopWithSupervisor("web");
