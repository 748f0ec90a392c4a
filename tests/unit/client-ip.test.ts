import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../lib/http/security-headers";
import { checkBodyHeaders } from "../../lib/net/body-limits";
import { resolveClientIp } from "../../lib/net/client-ip";
import { isActiveContentType } from "../../gateway/ops/content-safety";

describe("resolveClientIp", () => {
  it("ignores X-Forwarded-For unless the peer is a trusted proxy", () => {
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", [])).toBe("203.0.113.9");
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", ["10.0.0.0/8"])).toBe("203.0.113.9");
  });

  it("takes the right-most address that is not a trusted proxy, so a forged left part changes nothing", () => {
    const trusted = ["10.0.0.0/8", "127.0.0.1/32"];
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1", trusted)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", ["6.6.6.6", "198.51.100.7"], trusted)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", "10.0.0.5", trusted)).toBe("10.0.0.5"); // all hops ours
    expect(resolveClientIp("10.0.0.2", "garbage, 10.0.0.5", trusted)).toBe("10.0.0.5");
    expect(resolveClientIp("10.0.0.2", undefined, trusted)).toBe("10.0.0.2");
  });

  it("shows IPv4-mapped IPv6 as IPv4", () => {
    expect(resolveClientIp("::ffff:203.0.113.9", null, [])).toBe("203.0.113.9");
    expect(resolveClientIp("::ffff:127.0.0.1", "::ffff:198.51.100.7", ["127.0.0.1/32"])).toBe("198.51.100.7");
  });
});

describe("securityHeaders", () => {
  it("HSTS only for an https public URL; no-referrer on token pages", () => {
    const base = { nonce: "abc", dev: false };
    expect(securityHeaders({ ...base, pathname: "/", https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
    expect(securityHeaders({ ...base, pathname: "/", https: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ ...base, pathname: "/invite/x", https: false })["Referrer-Policy"]).toBe("no-referrer");
    expect(securityHeaders({ ...base, pathname: "/orgs/x", https: false })["Content-Security-Policy"]).not.toContain("unsafe-eval");
  });
});

describe("checkBodyHeaders", () => {
  it("refuses from the headers alone", () => {
    expect(checkBodyHeaders("/api/auth/signin/email", { "content-length": String(200 * 1024 * 1024) })).toMatchObject({ ok: false, status: 413 });
    expect(checkBodyHeaders("/api/auth/signin/email", { "content-length": "300" })).toEqual({ ok: true });
    expect(checkBodyHeaders("/orgs/x", { "transfer-encoding": "chunked" })).toMatchObject({ ok: false, status: 411 });
    expect(checkBodyHeaders("/orgs/x", {})).toEqual({ ok: true });
  });
});

describe("gateway active content", () => {
  it("HTML, SVG, XML, JavaScript and unknown types are active; images and binaries are not", () => {
    for (const t of ["text/html; charset=utf-8", "image/svg+xml", "application/xml", "text/javascript", "application/xhtml+xml", "", undefined]) expect(isActiveContentType(t), String(t)).toBe(true);
    for (const t of ["image/png", "application/octet-stream", "text/plain", "application/json"]) expect(isActiveContentType(t), t).toBe(false);
  });
});
