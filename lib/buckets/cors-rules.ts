// S3 bucket CORS rules: their shape (validated with zod on every way in: gateway XML, console
// form, database read) and how a browser request is matched against them, as S3 does it: the
// first rule whose origin, method and every requested header match wins.
import { z } from "zod";

export const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

const text = z.string().trim().min(1).max(1024);
const pattern = (what: string) => text.refine((v) => (v.match(/\*/g)?.length ?? 0) <= 1, { message: `${what} may contain at most one "*".` });

export const corsRuleSchema = z.object({
  id: z.string().trim().max(255).optional(),
  allowedOrigins: z.array(pattern("An origin")).min(1),
  allowedMethods: z.array(z.enum(CORS_METHODS, { message: "Methods are GET, PUT, POST, DELETE or HEAD." })).min(1),
  allowedHeaders: z.array(pattern("A header")).default([]),
  exposeHeaders: z.array(text).default([]),
  maxAgeSeconds: z.number().int().min(0).max(2_147_483_647).optional(),
});
export type CorsRule = z.infer<typeof corsRuleSchema>;

/** S3 accepts at most 100 rules per bucket. */
export const corsRulesSchema = z.array(corsRuleSchema).min(1, "Add at least one rule.").max(100, "A bucket may have at most 100 CORS rules.");

/** Rules as stored (Bucket.corsRules JSON); anything unreadable counts as "no configuration". */
export function parseStoredCorsRules(value: unknown): CorsRule[] | null {
  if (value === null || value === undefined) return null;
  const parsed = corsRulesSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `*` matches any run of characters (S3 allows one per origin or header pattern). */
function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star === -1) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

export type CorsRequest = { origin: string; method: string; headers: string[] };

/** The first rule allowing this origin, method and every requested header (case-insensitive), or null. */
export function matchCorsRule(rules: readonly CorsRule[], req: CorsRequest): CorsRule | null {
  const method = req.method.toUpperCase();
  const headers = req.headers.map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const rule of rules) {
    if (!rule.allowedOrigins.some((o) => wildcardMatch(o, req.origin))) continue;
    if (!rule.allowedMethods.includes(method as CorsMethod)) continue;
    const allowed = rule.allowedHeaders.map((h) => h.toLowerCase());
    if (headers.every((h) => allowed.some((p) => wildcardMatch(p, h)))) return rule;
  }
  return null;
}

/** Access-Control-* response headers for a matched rule (preflight adds the method/header lists). */
export function corsResponseHeaders(rule: CorsRule, req: CorsRequest, preflight: boolean): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes("*");
  const headers: Record<string, string> = {
    "access-control-allow-origin": anyOrigin ? "*" : req.origin,
    vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
  };
  // S3 sends credentials only for an origin it names: "*" with credentials is invalid CORS.
  if (!anyOrigin) headers["access-control-allow-credentials"] = "true";
  if (rule.exposeHeaders.length > 0) headers["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
  if (preflight) {
    headers["access-control-allow-methods"] = rule.allowedMethods.join(", ");
    if (req.headers.length > 0) headers["access-control-allow-headers"] = req.headers.map((h) => h.trim().toLowerCase()).join(", ");
    if (rule.maxAgeSeconds !== undefined) headers["access-control-max-age"] = String(rule.maxAgeSeconds);
  }
  return headers;
}
