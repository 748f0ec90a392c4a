import { describe, expect, it } from "vitest";
import { readBearerToken } from "../../lib/api/authenticate-org-token";
import { createOrgTokenSchema, generateOrgToken, isOrgTokenFormat, ORG_TOKEN_SCAN_PATTERN } from "../../lib/org-tokens/org-tokens";

describe("organization API token format", () => {
  it("is kgt_ + 38 base62 characters with a checksum; a changed character fails the checksum", () => {
    const token = generateOrgToken();
    expect(token).toMatch(/^kgt_[0-9A-Za-z]{38}$/);
    expect(isOrgTokenFormat(token)).toBe(true);
    const flipped = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
    expect(isOrgTokenFormat(flipped)).toBe(false);
    expect(isOrgTokenFormat(`kgs_${token.slice(4)}`)).toBe(false);
    expect(`see ${token} here`.match(ORG_TOKEN_SCAN_PATTERN)).toEqual([token]);
    expect(new Set(Array.from({ length: 50 }, generateOrgToken)).size).toBe(50);
  });

  it("reads only a Bearer header", () => {
    expect(readBearerToken("Bearer kgt_abc")).toBe("kgt_abc");
    expect(readBearerToken("bearer  kgt_abc ")).toBe("kgt_abc");
    expect(readBearerToken("Basic a2V5OnNlY3JldA==")).toBeNull();
    expect(readBearerToken(null)).toBeNull();
  });

  it("expires: presets, custom dates within a year, never in the past", () => {
    const days = (d: Date) => Math.round((d.getTime() - Date.now()) / 86_400_000);
    expect(days(createOrgTokenSchema.parse({ name: "ci" }).expiresAt)).toBe(30);
    expect(days(createOrgTokenSchema.parse({ name: "ci", expiry: "90d" }).expiresAt)).toBe(90);
    expect(createOrgTokenSchema.safeParse({ name: "ci", expiry: "custom", expiresAt: "2001-01-01" }).error?.issues[0].message).toContain("future");
    const far = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    expect(createOrgTokenSchema.safeParse({ name: "ci", expiry: "custom", expiresAt: far }).error?.issues[0].message).toContain("within a year");
    expect(createOrgTokenSchema.safeParse({ name: "", expiry: "30d" }).success).toBe(false);
  });
});
