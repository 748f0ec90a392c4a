// POST /api/secret-scanning/github: the HTTP side of the leaked-key reports. Order matters:
// rate limit (cheap, before any work), body size, signature over the raw bytes, then JSON.
// Nothing of the body reaches a log: it holds secrets.
import { randomUUID } from "node:crypto";
import { consumeRateLimit } from "../api/rate-limit";
import type { Db } from "../db";
import { isDatabaseUnavailable } from "../db-errors";
import { API_BODY_LIMIT } from "../net/body-limits";
import { clientIpFromHeaders } from "../net/client-ip";
import { type ScanningKeys, verifyScanningSignature } from "./github-signature";
import { handleLeakReport, type LeakDeps, leakReportSchema } from "./report-leaks";

/** Per client address. GitHub batches its matches, so a real sender stays far below this. */
export const LEAK_REPORT_RATE_LIMIT = { limit: 60, windowMs: 60_000 } as const;

const fail = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store", ...headers } });

export async function handleLeakRequest(db: Db, request: Request, deps: LeakDeps & { keys: ScanningKeys | undefined }): Promise<Response> {
  // Not configured: the endpoint does not exist for this instance.
  if (!deps.keys?.size) return fail(404, "not_found", "Secret scanning reports are not configured on this instance.");
  const requestId = randomUUID();
  try {
    const rate = await consumeRateLimit(db, `leaks:ip:${clientIpFromHeaders(request.headers) ?? "unknown"}`, LEAK_REPORT_RATE_LIMIT.limit, LEAK_REPORT_RATE_LIMIT.windowMs);
    if (!rate.allowed) return fail(429, "rate_limited", "Too many reports. Try again later.", { "Retry-After": String(rate.retryAfterSeconds) });
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > API_BODY_LIMIT) return fail(413, "too_large", "The report is too large.");
    const signed = verifyScanningSignature(deps.keys, request.headers.get("github-public-key-identifier"), request.headers.get("github-public-key-signature"), body);
    if (!signed) return fail(401, "bad_signature", "The report's signature does not verify against a configured GitHub secret-scanning key.");
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return fail(400, "invalid_input", "The report is not valid JSON.");
    }
    const report = leakReportSchema.safeParse(json);
    if (!report.success) return fail(400, "invalid_input", "The report must be a list of {token, type, url, source}.");
    return Response.json(await handleLeakReport(db, deps, report.data), { headers: { "Cache-Control": "no-store", "X-Request-Id": requestId } });
  } catch (err) {
    if (isDatabaseUnavailable(err)) return fail(503, "database_unavailable", "The database is temporarily unavailable. Retry shortly.", { "Retry-After": "5" });
    // The error's message only: a stack or cause could carry a row, never the body.
    console.error(`[leaks] report failed (request id ${requestId}): ${(err as Error)?.message ?? "unknown error"}`);
    return fail(500, "internal", `Internal error (request id ${requestId})`);
  }
}
