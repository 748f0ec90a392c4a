import { describe, expect, it } from "vitest";
import { MAX_CIDRS, ipInCidrs, normalizeIp, parseCidr, parseCidrList } from "../../lib/keys/cidr";

describe("parseCidrList", () => {
  it("accepts IPv4 and IPv6 blocks and bare addresses, from a typed string or an array", () => {
    expect(parseCidrList("10.0.0.0/8, 192.168.1.7\n2001:DB8::/32  ::1")).toEqual({
      ok: true,
      cidrs: ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "::1/128"],
    });
    expect(parseCidrList(["0.0.0.0/0", "::/0", "10.0.0.0/8", "10.0.0.0/8"])).toEqual({ ok: true, cidrs: ["0.0.0.0/0", "::/0", "10.0.0.0/8"] });
    expect(parseCidrList("")).toEqual({ ok: true, cidrs: [] });
  });

  it.each([
    ["garbage", "not-an-ip", /is not an IPv4 or IPv6 address/],
    ["octet out of range", "10.0.0.256", /is not an IPv4/],
    ["v4 prefix too long", "10.0.0.0/33", /at most 32/],
    ["v6 prefix too long", "2001:db8::/129", /at most 128/],
    ["empty prefix", "10.0.0.0/", /invalid prefix length/],
    ["negative prefix", "10.0.0.0/-1", /invalid prefix length/],
    ["two slashes", "10.0.0.0/8/8", /is not an IPv4/],
    ["zone id", "fe80::1%eth0", /is not an IPv4/],
  ])("refuses %s", (_name, input, message) => {
    const r = parseCidrList(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(" ")).toMatch(message);
  });

  it("refuses host bits with a suggestion for the network and for the single address", () => {
    expect(parseCidr("10.0.0.7/24")).toEqual({ error: '"10.0.0.7/24" has host bits set; use 10.0.0.0/24 for the range or 10.0.0.7/32 for one address.' });
    expect(parseCidr("2001:db8::1/64")).toEqual({ error: '"2001:db8::1/64" has host bits set; use 2001:db8::/64 for the range or 2001:db8::1/128 for one address.' });
  });

  it("collects every error and caps the list length", () => {
    const r = parseCidrList("x, 10.0.0.0/8, y");
    expect(r.ok ? [] : r.errors).toHaveLength(2);
    const many = Array.from({ length: MAX_CIDRS + 1 }, (_, i) => `10.0.${i}.0/24`);
    expect(parseCidrList(many).ok).toBe(false);
  });
});

describe("normalizeIp", () => {
  it("unwraps IPv4-mapped IPv6, strips zones and refuses non-addresses", () => {
    expect(normalizeIp("::ffff:10.0.0.7")).toBe("10.0.0.7");
    expect(normalizeIp("::FFFF:a00:7")).toBe("10.0.0.7");
    expect(normalizeIp("10.0.0.7")).toBe("10.0.0.7");
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeIp("::1")).toBe("::1");
    expect(normalizeIp("unknown")).toBeNull();
    expect(normalizeIp("")).toBeNull();
  });
});

describe("ipInCidrs", () => {
  const list = ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32"];
  it.each([
    ["10.1.2.3", true],
    ["11.0.0.1", false],
    ["192.168.1.7", true],
    ["192.168.1.8", false],
    ["::ffff:10.0.0.7", true],
    ["::ffff:a00:7", true],
    ["::ffff:192.168.1.8", false],
    ["2001:db8::1", true],
    ["2001:db8:ffff::1", true],
    ["2001:db9::1", false],
    ["::1", false],
    ["garbage", false],
    ["", false],
  ])("%s → %s", (ip, expected) => {
    expect(ipInCidrs(ip, list)).toBe(expected);
  });

  it("matches nothing for an empty list and ignores entries that do not parse", () => {
    expect(ipInCidrs("10.0.0.1", [])).toBe(false);
    expect(ipInCidrs("10.0.0.1", ["garbage", "10.0.0.1/8"])).toBe(false);
    expect(ipInCidrs("10.0.0.1", ["garbage", "10.0.0.1"])).toBe(true);
  });

  it("0.0.0.0/0 matches every IPv4 client, mapped ones included", () => {
    expect(ipInCidrs("203.0.113.9", ["0.0.0.0/0"])).toBe(true);
    expect(ipInCidrs("::ffff:203.0.113.9", ["0.0.0.0/0"])).toBe(true);
  });
});
