/**
 * Source-IP limits for keys: lists of IPv4/IPv6 CIDR blocks. Matching is node:net's BlockList,
 * which also matches IPv4-mapped IPv6 addresses (`::ffff:10.0.0.7`, what a dual-stack node
 * socket reports for an IPv4 client) against IPv4 rules and the other way round.
 */
import { BlockList, isIP } from "node:net";

/** `errors` are messages for the `allowedCidrs` field. */
export type CidrListResult = { ok: true; cidrs: string[] } | { ok: false; errors: string[] };

/** Most lists a person would type fit; a cap keeps the per-request check cheap. */
export const MAX_CIDRS = 50;

/**
 * Parses a list typed by a person (array, or one string separated by commas, spaces or
 * newlines). A bare address becomes a /32 or /128. A block with host bits set
 * ("10.0.0.7/24") is refused with a suggestion rather than silently widened or narrowed:
 * it is usually a typo for a single address or for the network.
 */
export function parseCidrList(input: string | readonly string[]): CidrListResult {
  const items = (typeof input === "string" ? input.split(/[\s,]+/) : [...input]).map((s) => s.trim()).filter(Boolean);
  const errors: string[] = [];
  const cidrs: string[] = [];
  for (const item of items) {
    const parsed = parseCidr(item);
    if (typeof parsed === "object") errors.push(parsed.error);
    else if (!cidrs.includes(parsed)) cidrs.push(parsed);
  }
  if (cidrs.length > MAX_CIDRS) errors.push(`At most ${MAX_CIDRS} address ranges are allowed.`);
  return errors.length ? { ok: false, errors } : { ok: true, cidrs };
}

/** One block, normalized to "<address>/<bits>", or an error message naming it. */
export function parseCidr(text: string): string | { error: string } {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const [addressPart, bitsPart, extra] = text.trim().toLowerCase().split("/");
  const version = addressPart.includes("%") ? 0 : isIP(addressPart);
  if (extra !== undefined || version === 0) return { error: `"${shown}" is not an IPv4 or IPv6 address or CIDR block.` };
  const max = version === 4 ? 32 : 128;
  if (bitsPart !== undefined && !/^\d{1,3}$/.test(bitsPart)) return { error: `"${shown}" has an invalid prefix length.` };
  const bits = bitsPart === undefined ? max : Number(bitsPart);
  if (bits > max) return { error: `"${shown}": the prefix length must be at most ${max}.` };
  const value = ipToBigInt(addressPart, version);
  const width = BigInt(max);
  const hostMask = (1n << (width - BigInt(bits))) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = bigIntToIp(value & ~hostMask, version);
    return { error: `"${shown}" has host bits set; use ${network}/${bits} for the range or ${addressPart}/${max} for one address.` };
  }
  return `${addressPart}/${bits}`;
}

/**
 * Normalizes a socket address: strips an IPv6 zone ("%eth0") and unwraps IPv4-mapped IPv6
 * to plain IPv4, so events show "10.0.0.7". Returns null when it is not an IP address.
 */
export function normalizeIp(ip: string): string | null {
  if (typeof ip !== "string") return null;
  const bare = ip.trim().toLowerCase().replace(/%.*$/, "");
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return null;
  const value = ipToBigInt(bare, 6);
  if (value >> 32n === 0xffffn) return bigIntToIp(value & 0xffffffffn, 4);
  return bare;
}

const matchers = new WeakMap<readonly string[], BlockList>();

/** A matcher for a list; entries that do not parse match nothing (fail closed). */
export function createCidrMatcher(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (typeof parsed !== "string") continue;
    const [address, bits] = parsed.split("/");
    list.addSubnet(address, Number(bits), isIP(address) === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

/** True if `ip` falls in any block. An empty list matches nothing; callers decide what "no limit" means. */
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  const address = normalizeIp(ip);
  if (address === null || cidrs.length === 0) return false;
  // Key scopes come from a cache and are reused per request: compile each list once.
  let matcher = matchers.get(cidrs);
  if (!matcher) {
    matcher = createCidrMatcher(cidrs);
    matchers.set(cidrs, matcher);
  }
  return matcher.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

function ipToBigInt(address: string, version: number): bigint {
  if (version === 4) return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    // "::ffff:10.0.0.7": turn the dotted tail into two hex groups.
    const v4 = ipToBigInt(tail, 4);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest === undefined ? null : rest ? rest.split(":") : [];
  const groups =
    restGroups === null
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - restGroups.length).fill("0"), ...restGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIp(value: bigint, version: number): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952) for a readable suggestion.
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.len).join(":")}`;
}
