import { describe, expect, it } from "vitest";
import { DEFAULT_KEY_POLICY } from "../../lib/policies/key-policy";
import { keyFindings } from "../../lib/reports/credential-report";

const DAY = 86_400_000;
const now = new Date("2026-06-01T12:00:00Z");
const ago = (d: number) => new Date(now.getTime() - d * DAY);
const base = { createdAt: ago(1), rotatedAt: null, lastUsedAt: ago(0.1), expiresAt: null, status: "Active" as const };

describe("credential report findings", () => {
  it("never used: only from 7 days after creation", () => {
    expect(keyFindings({ ...base, lastUsedAt: null, createdAt: ago(6.9) }, DEFAULT_KEY_POLICY, now)).toEqual([]);
    expect(keyFindings({ ...base, lastUsedAt: null, createdAt: ago(7) }, DEFAULT_KEY_POLICY, now)).toEqual(["never_used"]);
  });
  it("unused: last use older than the threshold (90 days by default)", () => {
    expect(keyFindings({ ...base, createdAt: ago(200), lastUsedAt: ago(89) }, DEFAULT_KEY_POLICY, now)).toEqual([]);
    expect(keyFindings({ ...base, createdAt: ago(200), lastUsedAt: ago(90) }, DEFAULT_KEY_POLICY, now)).toEqual(["unused"]);
    expect(keyFindings({ ...base, createdAt: ago(200), lastUsedAt: ago(90) }, DEFAULT_KEY_POLICY, now, 180)).toEqual([]);
  });
  it("expiring: within 7 days", () => {
    expect(keyFindings({ ...base, expiresAt: new Date(now.getTime() + 7 * DAY) }, DEFAULT_KEY_POLICY, now)).toEqual(["expiring"]);
    expect(keyFindings({ ...base, expiresAt: new Date(now.getTime() + 7.1 * DAY) }, DEFAULT_KEY_POLICY, now)).toEqual([]);
  });
  it("rotation due: older than the organization's rotation period since creation or last rotation", () => {
    const policy = { ...DEFAULT_KEY_POLICY, rotationPeriodDays: 30 };
    expect(keyFindings({ ...base, createdAt: ago(31) }, policy, now)).toEqual(["rotation_due"]);
    expect(keyFindings({ ...base, createdAt: ago(31), rotatedAt: ago(2) }, policy, now)).toEqual([]);
    expect(keyFindings({ ...base, createdAt: ago(31) }, DEFAULT_KEY_POLICY, now)).toEqual([]);
  });
  it("revoked and expired keys have no findings; disabled keys still do", () => {
    const stale = { ...base, lastUsedAt: null, createdAt: ago(30) };
    expect(keyFindings({ ...stale, status: "Revoked" }, DEFAULT_KEY_POLICY, now)).toEqual([]);
    expect(keyFindings({ ...stale, status: "Expired" }, DEFAULT_KEY_POLICY, now)).toEqual([]);
    expect(keyFindings({ ...stale, status: "Disabled" }, DEFAULT_KEY_POLICY, now)).toEqual(["never_used"]);
  });
});
