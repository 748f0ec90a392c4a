/**
 * The security headers of every console and API response (set in proxy.ts). The console must
 * never be framed (the gateway serves user-uploaded HTML; see docs/operations.md), scripts run
 * only with the per-request nonce Next.js puts on its own tags, and nothing is ever eval'd.
 */

// Styles: Tailwind's stylesheet is same-origin, but React renders style="" attributes (Radix
// positioning, progress bars), which a nonce cannot cover; inline styles cannot run script.
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only for `next dev` (React's error overlays); never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Pages whose URL carries a one-time token: no Referer may ever take it elsewhere. */
const TOKEN_PAGES = /^\/(share|invite)(\/|$)/;

export function securityHeaders(args: { pathname: string; nonce: string; dev: boolean; https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(args.nonce, args.dev),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": TOKEN_PAGES.test(args.pathname) ? "no-referrer" : "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only when the public URL is https: HSTS over plain http would be ignored or, worse, stick
  // to a host that cannot serve TLS.
  if (args.https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
