// Shared fixtures for the verifyRequest tests (requests signed by the independent test signer).
import { expect, vi } from "vitest";
import { verifyRequest, type SigV4Request, type VerifyResult } from "../../gateway/sigv4/index";
import { EMPTY_SHA, S3_DOC, signRequest, type SignInput } from "./sigv4-test-helpers";

export const NOW = new Date("2024-03-05T01:02:03Z");
export const KEY = { secret: S3_DOC.secret, region: "us-east-1", userId: "u1" };
export const lookup = vi.fn(async (id: string) => (id === S3_DOC.accessKeyId ? KEY : null));
export const verify = (req: SigV4Request, now = NOW, extra = {}) => verifyRequest(req, { now, lookup, ...extra });

export const base: SignInput = {
  method: "GET",
  path: "/bucket/photos/a b+c.jpg",
  query: [["versionId", "3/L4kqtJl"]],
  headers: { host: "gw.example.com", "x-amz-content-sha256": EMPTY_SHA },
  date: NOW,
  payloadHash: EMPTY_SHA,
};
export const signed = (over: Partial<SignInput> = {}) => signRequest({ ...base, ...over });
export const withHeaders = (req: SigV4Request, headers: Record<string, string | string[] | undefined>) => ({
  ...req,
  headers: { ...req.headers, ...headers },
});

export function expectFail(result: VerifyResult<unknown>, status: number, code: string, reason?: string) {
  expect(result.ok).toBe(false);
  expect(result).toMatchObject({ status, code, ...(reason ? { reason } : {}) });
  // Error values must never carry secret or signature-derived material.
  expect(JSON.stringify(result)).not.toContain(S3_DOC.secret);
  expect(JSON.stringify(result)).not.toMatch(/[0-9a-f]{64}/);
}
