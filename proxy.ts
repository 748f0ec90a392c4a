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
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
