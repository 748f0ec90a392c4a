// The one wrapper of every /api/v1 route: authenticate (master key, or organization API token for
// operations with `auth: "orgToken"`) → rate limit → validate input → call the
// operation → validate output → map errors to { error: { code, message } } → record the call.
import { randomUUID } from "node:crypto";
import { ZodError, type z } from "zod";
import { type Db, getDb } from "../db";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db-errors";
import { AppError, badRequest, fieldErrorsFromZod, isAppError } from "../errors";
import { AUTHENTICATE_HEADER, type ApiCaller, authenticateMasterKey } from "./authenticate";
import { ORG_TOKEN_AUTHENTICATE_HEADER, type OrgTokenCaller, authenticateOrgToken } from "./authenticate-org-token";
import { API_OPERATIONS, type ApiOperation, type OperationName, type Operations } from "./operations";
import { consumeRateLimit } from "./rate-limit";
import { recordApiRequest } from "./record-request";

/** Per master key or organization API token, fixed window. Generous for automation; stops a runaway loop. */
export const API_RATE_LIMIT = { limit: 600, windowMs: 60_000 };
const MAX_BODY_CHARS = 64 * 1024;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Part<O, K extends string> = O extends { [P in K]: infer S } ? Output<S> : undefined;
/** Operations marked `auth: "orgToken"` take an organization API token; the others a master key. */
export type CallerOf<O> = O extends { auth: "orgToken" } ? OrgTokenCaller : ApiCaller;
export type ApiInput<O> = { db: Db; caller: CallerOf<O>; request: Request; params: Part<O, "params">; query: Part<O, "query">; body: Part<O, "body"> };
type ApiResult<O> = O extends { response: infer R extends z.ZodType } ? z.input<R> : never;
/** Next's second route handler argument (dynamic segments). */
export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

class RateLimited extends AppError {
  constructor(readonly retryAfter: number) {
    super(429, "rate_limited", "Too many requests for these credentials. Try again later.");
  }
}

type Failure = { status: number; code: string; message: string; fields?: Record<string, string[]>; headers?: Record<string, string> };

function toFailure(err: unknown, requestId: string, operation: string, op: ApiOperation): Failure {
  if (isAppError(err)) {
    const challenge = op.auth === "orgToken" ? ORG_TOKEN_AUTHENTICATE_HEADER : AUTHENTICATE_HEADER;
    const headers: Record<string, string> | undefined = err.status === 401 ? { "WWW-Authenticate": challenge }
      : err instanceof RateLimited ? { "Retry-After": String(err.retryAfter) } : undefined;
    return { status: err.status, code: err.code, message: err.message, fields: err.fieldErrors, headers };
  }
  // Core functions parse their input again with their own schemas; their ZodErrors are input errors too.
  if (err instanceof ZodError) return { status: 400, code: "invalid_input", message: "Check the request.", fields: fieldErrorsFromZod(err) };
  if (isDatabaseUnavailable(err)) {
    console.error(`[api] ${operation}: database unavailable (request id ${requestId})`);
    const message = "The database is temporarily unavailable. Retry shortly.";
    return { status: 503, code: "database_unavailable", message, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) } };
  }
  // Never echo an unexpected error's message: it may hold SQL, paths or worse.
  console.error(`[api] ${operation} failed (request id ${requestId})`, err);
  return { status: 500, code: "internal", message: `Internal error (request id ${requestId})` };
}

function failureResponse(f: Failure): Response {
  const error = f.fields ? { code: f.code, message: f.message, fields: f.fields } : { code: f.code, message: f.message };
  return Response.json({ error }, { status: f.status, headers: f.headers });
}

/**
 * The path of the first string (or field name) in `value` holding U+0000, which PostgreSQL cannot
 * store; null if none. No schema nests deeper than MAX_DEPTH: deeper input is refused by the
 * schema, and scanning it would only risk the stack.
 */
const MAX_DEPTH = 16;
function nulAt(value: unknown, path = "", depth = 0): string | null {
  if (typeof value === "string") return value.includes("\0") ? path : null;
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return null;
  for (const [k, v] of Object.entries(value)) {
    const at = k.includes("\0") ? path : nulAt(v, path ? `${path}.${k}` : k, depth + 1);
    if (at !== null) return at;
  }
  return null;
}

function parsePart<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const nul = nulAt(value);
  if (nul !== null) throw badRequest(`Check the request ${what}.`, { [nul || what]: ["Must not contain NUL characters (\\u0000)."] });
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(`Check the request ${what}.`, fieldErrorsFromZod(result.error));
  return result.data;
}

/**
 * Refuses a call made by a page of another site. A browser that has the master key's Basic
 * credentials cached (someone opened the API in a tab and answered the prompt) sends them with a
 * form another site posts here; the API is for programs, and no page of any site calls it.
 * Browsers say where a request comes from (Sec-Fetch-Site, and Origin on every cross-origin POST);
 * curl and SDKs send neither.
 */
function refuseCrossSite(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  let foreign = site === "cross-site" || site === "same-site";
  if (!foreign && origin !== null) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    foreign = URL.canParse(origin) ? new URL(origin).host !== host : true; // "null": a sandboxed page or a redirect
  }
  if (foreign) throw new AppError(403, "cross_site_request", "The API does not accept requests from web pages of other sites.");
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  if (!JSON_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new AppError(415, "unsupported_media_type", "Send the request body as JSON, with Content-Type: application/json.");
  }
  if (text.length > MAX_BODY_CHARS) throw badRequest("The request body is too large.");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}

async function parseInput(op: ApiOperation, request: Request, context: RouteContext | undefined) {
  const params = op.params ? parsePart(op.params, (await context?.params) ?? {}, "path") : undefined;
  const query = op.query ? parsePart(op.query, Object.fromEntries(new URL(request.url).searchParams), "query") : undefined;
  const body = op.body ? parsePart(op.body, await readJson(request), "body") : undefined;
  return { params, query, body };
}

/**
 * Builds a route handler for the named operation of API_OPERATIONS; `fn` receives validated
 * input and returns the response body, which is validated (and stripped to the documented
 * fields) before it is sent.
 */
export function apiRoute<N extends OperationName>(name: N, fn: (input: ApiInput<Operations[N]>) => Promise<ApiResult<Operations[N]>>) {
  const op: ApiOperation = API_OPERATIONS[name];
  return async function handle(request: Request, context?: RouteContext): Promise<Response> {
    const requestId = randomUUID();
    const started = performance.now();
    const db = getDb();
    let caller: ApiCaller | OrgTokenCaller | undefined;
    let record = true;
    let response: Response;
    let failure: Failure | undefined;
    try {
      refuseCrossSite(request);
      caller = op.auth === "orgToken" ? await authenticateOrgToken(db, request) : await authenticateMasterKey(db, request);
      const rateKey = "tokenId" in caller ? `api:token:${caller.tokenId}` : `api:${caller.masterKeyId}`;
      const rate = await consumeRateLimit(db, rateKey, API_RATE_LIMIT.limit, API_RATE_LIMIT.windowMs);
      if (!rate.allowed) {
        // Record the first refusal of a window only: a flood must not become a flood of events.
        record = rate.count === rate.limit + 1;
        throw new RateLimited(rate.retryAfterSeconds);
      }
      const input = await parseInput(op, request, context);
      const result = await fn({ db, caller, request, ...input } as ApiInput<Operations[N]>);
      const output = op.response.safeParse(result);
      // A response that does not match its schema is our bug, not the caller's: 500, logged.
      if (!output.success) throw new Error(`${name} response does not match its schema: ${output.error.message}`);
      response = op.produces === "text/csv"
        ? new Response(String(output.data), { status: op.status, headers: { "Content-Type": "text/csv; charset=utf-8", "X-Content-Type-Options": "nosniff" } })
        : Response.json(output.data, { status: op.status });
      response.headers.set("RateLimit-Limit", String(rate.limit));
      response.headers.set("RateLimit-Remaining", String(rate.remaining));
    } catch (err) {
      failure = toFailure(err, requestId, name, op);
      response = failureResponse(failure);
    }
    response.headers.set("X-Request-Id", requestId);
    response.headers.set("Cache-Control", "no-store");
    // With the database down, recording the call would only wait for another timeout.
    if (caller && record && failure?.code !== "database_unavailable") {
      await recordApiRequest(db, caller, {
        operation: name, method: request.method, path: new URL(request.url).pathname, status: response.status, errorCode: failure?.code ?? null,
        requestId, durationMs: Math.round(performance.now() - started),
      }).catch((err) => console.error(`[api] could not record ${name} (request id ${requestId})`, err));
    }
    return response;
  };
}
