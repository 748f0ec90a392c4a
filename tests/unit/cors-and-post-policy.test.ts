// Pure pieces of browser support: CORS rule matching (S3's first-match, one-wildcard rules) and
// POST policy evaluation (eq, starts-with, content-length-range, covered fields, expiry).
import { describe, expect, it } from "vitest";
import { corsResponseHeaders, corsRulesSchema, matchCorsRule } from "../../lib/buckets/cors-rules";
import { checkPolicy, parsePolicy, sizeError } from "../../gateway/post-object/policy";

const rules = corsRulesSchema.parse([
  { allowedOrigins: ["https://*.example.com"], allowedMethods: ["PUT"], allowedHeaders: ["content-*", "x-amz-date"] },
  { allowedOrigins: ["*"], allowedMethods: ["GET"] },
]);

describe("matchCorsRule", () => {
  it("matches origin wildcards, methods and every requested header, first rule first", () => {
    expect(matchCorsRule(rules, { origin: "https://app.example.com", method: "put", headers: ["Content-Type", "X-Amz-Date"] })).toBe(rules[0]);
    expect(matchCorsRule(rules, { origin: "https://app.example.com", method: "PUT", headers: ["x-other"] })).toBeNull();
    expect(matchCorsRule(rules, { origin: "https://example.com", method: "PUT", headers: [] })).toBeNull(); // "*." needs a subdomain
    expect(matchCorsRule(rules, { origin: "http://anything", method: "GET", headers: [] })).toBe(rules[1]);
    expect(matchCorsRule(rules, { origin: "http://anything", method: "DELETE", headers: [] })).toBeNull();
  });

  it("answers * without credentials, a named origin with them", () => {
    expect(corsResponseHeaders(rules[1], { origin: "http://a", method: "GET", headers: [] }, false)).not.toHaveProperty("access-control-allow-credentials");
    expect(corsResponseHeaders(rules[0], { origin: "https://a.example.com", method: "PUT", headers: ["content-type"] }, true)).toMatchObject({
      "access-control-allow-origin": "https://a.example.com", "access-control-allow-credentials": "true",
      "access-control-allow-methods": "PUT", "access-control-allow-headers": "content-type",
    });
  });

  it("refuses what S3 refuses", () => {
    expect(corsRulesSchema.safeParse([{ allowedOrigins: ["https://*.*.com"], allowedMethods: ["GET"] }]).success).toBe(false);
    expect(corsRulesSchema.safeParse([{ allowedOrigins: ["*"], allowedMethods: ["PATCH"] }]).success).toBe(false);
    expect(corsRulesSchema.safeParse([]).success).toBe(false);
  });
});

const NOW = new Date("2026-01-01T00:00:00Z");
const encode = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString("base64");
const policy = parsePolicy(encode({
  expiration: "2026-01-01T01:00:00Z",
  conditions: [{ bucket: "b" }, ["starts-with", "$key", "up/"], ["eq", "$x-amz-meta-a", "1"], ["content-length-range", 2, 10]],
}));
const fields = (extra: Record<string, string> = {}) => new Map(Object.entries({ bucket: "b", key: "up/x", "x-amz-meta-a": "1", policy: "p", "x-amz-signature": "s", ...extra }));

describe("POST policy", () => {
  it("accepts fields that meet every condition", () => {
    expect(() => checkPolicy(policy, fields(), NOW)).not.toThrow();
    expect(() => checkPolicy(policy, fields({ "x-ignore-note": "free" }), NOW)).not.toThrow();
  });

  it("refuses a failed condition, an uncovered field and an expired policy", () => {
    expect(() => checkPolicy(policy, fields({ key: "down/x" }), NOW)).toThrow(/starts-with/);
    expect(() => checkPolicy(policy, fields({ "x-amz-meta-a": "2" }), NOW)).toThrow(/eq/);
    expect(() => checkPolicy(policy, fields({ "content-type": "text/plain" }), NOW)).toThrow(/Extra input fields: content-type/);
    expect(() => checkPolicy(policy, fields(), new Date("2026-01-01T02:00:00Z"))).toThrow(/expired/);
  });

  it("checks content-length-range while streaming and at the end", () => {
    expect(sizeError(policy, 11, false)?.code).toBe("EntityTooLarge");
    expect(sizeError(policy, 1, false)).toBeNull();
    expect(sizeError(policy, 1, true)?.code).toBe("EntityTooSmall");
    expect(sizeError(policy, 5, true)).toBeNull();
  });

  it("refuses malformed documents", () => {
    expect(() => parsePolicy("not base64 json")).toThrow(/Invalid/);
    expect(() => parsePolicy(encode({ conditions: [] }))).toThrow(/Invalid/);
    expect(() => parsePolicy(encode({ expiration: "2026-01-01T01:00:00Z", conditions: [["matches", "$key", ".*"]] }))).toThrow(/Invalid Condition/);
  });
});
