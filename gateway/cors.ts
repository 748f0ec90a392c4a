// Browser CORS at the gateway. Preflight OPTIONS requests are answered from the bucket's rules
// without authentication, as S3 does (a browser never signs a preflight); actual requests from
// an Origin get the matching rule's headers on every answer, errors included, so the page can
// read the S3 error. Rules are cached briefly per bucket name; a change through this gateway
// takes effect at once, one through the console within CORS_TTL_MS.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type CorsRule, corsResponseHeaders, matchCorsRule, parseStoredCorsRules } from "../lib/buckets/cors-rules";
import type { Db } from "../lib/db";
import { S3Error } from "./errors";
import { sendError } from "./ops";
import { routeRequest } from "./router";
import { headerValue } from "./router-headers";

const CORS_TTL_MS = 5_000;

export class CorsRules {
  private cache = new Map<string, { rules: CorsRule[] | null; at: number }>();

  constructor(private readonly db: Db, private readonly regionOfHost: (host: string) => string | undefined = () => undefined) {}

  /** The rules of the bucket this name designates on this endpoint, or null. Throws when the database is down. */
  async forBucket(bucket: string, host: string): Promise<CorsRule[] | null> {
    const hit = this.cache.get(`${host} ${bucket}`);
    if (hit && Date.now() - hit.at < CORS_TTL_MS) return hit.rules;
    const rows = await this.db.bucket.findMany({ where: { name: bucket }, select: { regionId: true, corsRules: true } });
    // A name is unique per region: with several regions behind one gateway, the Host decides.
    const region = this.regionOfHost(host);
    const row = rows.length === 1 ? rows[0] : rows.find((r) => r.regionId === region);
    const rules = parseStoredCorsRules(row?.corsRules);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(`${host} ${bucket}`, { rules, at: Date.now() });
    return rules;
  }

  invalidate(bucket: string): void {
    for (const k of this.cache.keys()) if (k.endsWith(` ${bucket}`)) this.cache.delete(k);
  }
}

const requestedHeaders = (req: IncomingMessage) => (headerValue(req.headers, "access-control-request-headers") ?? "").split(",").filter((h) => h.trim());

/** Answers an OPTIONS preflight: 200 with the matching rule's headers, or S3's 403/400 errors. */
export async function answerPreflight(req: IncomingMessage, res: ServerResponse, cors: CorsRules, domains: string[], requestId: string): Promise<void> {
  const origin = headerValue(req.headers, "origin");
  const method = headerValue(req.headers, "access-control-request-method");
  if (!origin || !method) {
    const missing = origin ? "Access-Control-Request-Method" : "Origin";
    return sendError(res, new S3Error("BadRequest", `Insufficient information. ${missing} request header needed.`, 400), requestId, "OPTIONS");
  }
  // Only bucket and key matter here: route the path as a HEAD, without the query.
  const route = routeRequest({ method: "HEAD", url: (req.url ?? "/").split("?")[0], headers: req.headers }, { domains });
  const bucket = route instanceof S3Error ? undefined : route.bucket;
  const rules = bucket ? await cors.forBucket(bucket, headerValue(req.headers, "host") ?? "") : null;
  if (!rules) return sendError(res, forbidden("CORSResponse: CORS is not enabled for this bucket."), requestId, "OPTIONS");
  const corsReq = { origin, method, headers: requestedHeaders(req) };
  const rule = matchCorsRule(rules, corsReq);
  if (!rule) {
    return sendError(res, forbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."), requestId, "OPTIONS");
  }
  res.writeHead(200, { ...corsResponseHeaders(rule, corsReq, true), "x-amz-request-id": requestId, "content-length": 0 }).end();
}

/** Sets the CORS headers of an actual request (before any answer is written). Never throws. */
export async function applyCorsHeaders(req: IncomingMessage, res: ServerResponse, cors: CorsRules, bucket: string | undefined): Promise<void> {
  const origin = headerValue(req.headers, "origin");
  if (!origin || !bucket) return;
  try {
    const rules = await cors.forBucket(bucket, headerValue(req.headers, "host") ?? "");
    const corsReq = { origin, method: req.method ?? "GET", headers: [] };
    const rule = rules && matchCorsRule(rules, corsReq);
    if (rule) for (const [name, value] of Object.entries(corsResponseHeaders(rule, corsReq, false))) res.setHeader(name, value);
  } catch {
    // Without the database the request itself fails with 503; CORS headers are best effort.
  }
}

function forbidden(message: string): S3Error {
  return new S3Error("AccessForbidden", message, 403);
}
