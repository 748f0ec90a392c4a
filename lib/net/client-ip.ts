/**
 * The one place that decides who the client is, for the console, the API and the gateway.
 *
 * A proxy appends the address it received the request from to X-Forwarded-For, so only the
 * right-hand end of that header is trustworthy, and only hop by hop: we start at the TCP peer
 * and walk leftwards while the hop we are at is a proxy listed in KEYGATE_TRUSTED_PROXIES. The
 * first address that is not a trusted proxy is the client. With no trusted proxies (the
 * default) the header is ignored entirely and the client is the TCP peer, so a forged
 * X-Forwarded-For changes nothing.
 */
import { ipInCidrs, normalizeIp } from "../keys/cidr";

/**
 * Set by the web server (scripts/web-server.ts) on every request, overwriting whatever the
 * client sent; pages, actions and route handlers read the client address from it only.
 */
export const CLIENT_IP_HEADER = "x-keygate-client-ip";

export function resolveClientIp(
  peer: string | null | undefined,
  forwardedFor: string | readonly string[] | null | undefined,
  trustedProxies: readonly string[],
): string | null {
  let client = peer ? normalizeIp(peer) : null;
  if (client === null || trustedProxies.length === 0) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor as string | null | undefined) ?? "")
    .split(",").map((s) => s.trim()).filter(Boolean);
  while (ipInCidrs(client, trustedProxies)) {
    const next = hops.pop();
    if (next === undefined) break; // every hop is a proxy of ours: the left-most one is all we know
    const address = normalizeIp(next);
    if (address === null) break; // garbage from before our proxies: keep the last hop we trust
    client = address;
  }
  return client;
}

/** The client address the web server resolved for this request (see CLIENT_IP_HEADER). */
export function clientIpFromHeaders(headers: Pick<Headers, "get">): string | null {
  const value = headers.get(CLIENT_IP_HEADER);
  return value ? normalizeIp(value) : null;
}
