// Uploaded objects are attacker-controlled content. Browsers must not guess a type (nosniff on
// every response, set in respond.ts), and content that can run script when opened directly
// (HTML, SVG, XML, JavaScript) is served in a CSP sandbox: a unique opaque origin, no script,
// no forms, so it can reach neither the gateway's nor the console's cookies or pages.
import type { OutgoingHttpHeaders } from "node:http";

const ACTIVE = /(html|xml|svg|javascript|ecmascript|xsl)/i;

export function isActiveContentType(contentType: string | undefined): boolean {
  // A missing or unparseable type could be sniffed by an old browser: treat it as active.
  const type = (contentType ?? "").split(";")[0].trim();
  return type === "" || !type.includes("/") || ACTIVE.test(type);
}

/** Extra headers for an object response with this (final, after response-* overrides) type. */
export function objectSafetyHeaders(contentType: unknown): OutgoingHttpHeaders {
  return isActiveContentType(typeof contentType === "string" ? contentType : undefined) ? { "content-security-policy": "sandbox" } : {};
}
