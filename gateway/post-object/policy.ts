// POST Object policies (browser form uploads), as S3 checks them: the policy is base64 JSON with
// an expiration and conditions; every form field except policy, x-amz-signature, file and
// x-ignore-* must be covered by a condition; `eq`, `starts-with` and `content-length-range`.
// Pure: form fields in, a decision out. The signature is checked by the caller (verify.ts).
import { z } from "zod";
import { S3Error } from "../errors";

const policySchema = z.object({
  expiration: z.iso.datetime({ offset: true }),
  conditions: z.array(z.union([z.record(z.string(), z.string()), z.array(z.union([z.string(), z.number()]))])),
});

export type PostPolicy = { expiresAt: Date; eq: Map<string, string[]>; startsWith: Map<string, string[]>; lengthRange?: { min: number; max: number } };

const invalidPolicy = (detail: string) => new S3Error("InvalidPolicyDocument", `Invalid Policy: ${detail}`, 400);
export const policyFailed = (detail: string) => new S3Error("AccessDenied", `Invalid according to Policy: ${detail}`, 403);

const push = (map: Map<string, string[]>, name: string, value: string) => map.set(name, [...(map.get(name) ?? []), value]);

/** Decodes and validates the policy document's syntax. */
export function parsePolicy(base64: string): PostPolicy {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  } catch {
    throw invalidPolicy("Invalid JSON.");
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) throw invalidPolicy("Invalid Policy: expiration and conditions are required.");
  const policy: PostPolicy = { expiresAt: new Date(parsed.data.expiration), eq: new Map(), startsWith: new Map() };
  for (const c of parsed.data.conditions) {
    if (!Array.isArray(c)) {
      for (const [name, value] of Object.entries(c)) push(policy.eq, name.toLowerCase(), value);
      continue;
    }
    const [op, a, b] = c;
    if (op === "content-length-range" && typeof a === "number" && typeof b === "number" && c.length === 3) {
      policy.lengthRange = { min: a, max: b };
    } else if ((op === "eq" || op === "starts-with") && typeof a === "string" && a.startsWith("$") && typeof b === "string" && c.length === 3) {
      push(op === "eq" ? policy.eq : policy.startsWith, a.slice(1).toLowerCase(), b);
    } else {
      throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c).slice(0, 200)}`);
    }
  }
  return policy;
}

const EXEMPT = new Set(["policy", "x-amz-signature", "file"]);

/**
 * Checks the fields (lower-case names, the bucket included as "bucket") against the policy.
 * starts-with "" allows any value; Content-Type may list several values, each must match.
 */
export function checkPolicy(policy: PostPolicy, fields: Map<string, string>, now: Date): void {
  if (now.getTime() > policy.expiresAt.getTime()) throw policyFailed("Policy expired.");
  for (const [name, values] of policy.eq) {
    for (const value of values) if (fields.get(name) !== value) throw policyFailed(`Policy Condition failed: ["eq", "$${name}", "${value}"]`);
  }
  for (const [name, prefixes] of policy.startsWith) {
    for (const prefix of prefixes) {
      const actual = fields.get(name) ?? "";
      const parts = name === "content-type" ? actual.split(",").map((v) => v.trim()) : [actual];
      if (!parts.every((p) => p.startsWith(prefix))) throw policyFailed(`Policy Condition failed: ["starts-with", "$${name}", "${prefix}"]`);
    }
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith("x-ignore-")) continue;
    if (!policy.eq.has(name) && !policy.startsWith.has(name)) throw policyFailed(`Extra input fields: ${name}`);
  }
}

/** The content-length-range check for the uploaded size (called while and after streaming). */
export function sizeError(policy: PostPolicy, size: number, final: boolean): S3Error | null {
  const range = policy.lengthRange;
  if (!range) return null;
  if (size > range.max) return new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400, { MaxSizeAllowed: String(range.max) });
  if (final && size < range.min) return new S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400, { MinSizeAllowed: String(range.min) });
  return null;
}
