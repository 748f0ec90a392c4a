// Next.js 16 proxy (formerly middleware): runs before every console page, server action and
// API route, and puts the security headers on the response. The CSP nonce is passed to Next on
// the request's Content-Security-Policy header, from which Next puts it on its own script tags.
import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { securityHeaders } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    pathname: request.nextUrl.pathname,
    nonce,
    dev: process.env.NODE_ENV === "development",
    https: getEnv().publicUrl.startsWith("https://"),
  });
  // PostgreSQL can neither store nor compare U+0000: an address holding one (%00) is refused here,
  // for every page and route, rather than failing inside a query.
  if (request.url.includes("%00")) {
    const message = "The address contains a NUL character (%00).";
    const refused = request.nextUrl.pathname.startsWith("/api/")
      ? Response.json({ error: { code: "invalid_input", message } }, { status: 400 })
      : new Response(`Bad request: ${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    for (const [name, value] of Object.entries(headers)) refused.headers.set(name, value);
    return refused;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
