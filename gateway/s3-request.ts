// One S3 request, start to finish: route → SigV4 → scope → body verification → operation →
// metrics and the key's event. Bucket create/delete go through lib/buckets so the console and
// the gateway keep one source of truth.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Db } from "../lib/db";
import { bucketsVisible, keyHasPermission } from "../lib/keys/scope";
import { regionAliases } from "../lib/storage/regions";
import type { StorageBackend } from "../lib/storage/types";
import { authorizeEntry, authorizeRequest, sourceIp } from "./authorize-request";
import { BUCKET_ADMIN_OPERATIONS, handleBucketAdmin } from "./bucket-admin";
import { type CorsRules, answerPreflight, applyCorsHeaders } from "./cors";
import { S3Error, requestTimeout } from "./errors";
import type { EventWriter } from "./event-writer";
import type { GatewayKey, KeyStore } from "./key-store";
import type { Metrics } from "./metrics";
import { missingBucket } from "./missing-bucket";
import { handlePostObject } from "./post-object/handle";
import { handleOperation, sendError } from "./ops";
import { isClientFacing, sendRequestTimeout, toS3Error } from "./ops/respond";
import { resourceOf } from "./ops/context";
import { requestListener } from "./process-guard";
import { newRequestId } from "./request-id";
import { verifiedBody } from "./request-body";
import { routeRequest, type S3Route } from "./router";
import { headerValue } from "./router-headers";
import { verifyRequest, type VerifyFail } from "./sigv4";

export type GatewayDeps = {
  db: Db;
  keys: KeyStore;
  events: EventWriter;
  metrics: Metrics;
  storageFor: (regionId: string) => StorageBackend;
  domains: string[];
  /** Region aliases a key may sign with; the configured regions' (lib/env.ts) by default. */
  regionAliases?: (regionId: string) => readonly string[];
  /** Bucket CORS rules for preflights and response headers (createGatewayServer provides one). */
  cors?: CorsRules;
  now?: () => Date;
};

type Outcome = { key: GatewayKey | null; route: S3Route | null; errorCode: string | null; inBytes: number; outBytes: number; signedWith?: string };
/** What the event needs from the connection, captured when the request starts: later the socket may be gone. */
type RequestMeta = { requestId: string; started: number; ip: string | null; userAgent: string | null };

/** The key store could not reach PostgreSQL: the only failure answered with 503. */
class KeyStoreUnavailable extends Error {}

export async function handleS3Request(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps): Promise<void> {
  const requestId = newRequestId();
  const ip = sourceIp(req);
  const meta: RequestMeta = { requestId, started: performance.now(), ip: ip || null, userAgent: headerValue(req.headers, "user-agent") ?? null };
  const out: Outcome = { key: null, route: null, errorCode: null, inBytes: 0, outBytes: 0 };
  res.once("close", requestListener(requestId, () => finish(res, deps, meta, out)));
  const fail = (err: S3Error, reason?: string, send: typeof sendRequestTimeout = sendError) => {
    out.errorCode = err.code;
    if (reason) deps.metrics.authFailures.inc({ reason });
    err.resource ??= out.route ? resourceOf(out.route) : requestPath(req.url);
    send(res, err, requestId, req.method ?? "GET");
  };
  // The server's idle timeout (server.ts): the socket was silent that long. A request still
  // sending its body is answered RequestTimeout, or cut if its answer has begun. A socket that
  // is quiet because the gateway is working (or pausing the body for backpressure) stays open.
  res.on("timeout", requestListener(requestId, (socket: Socket) => {
    if (req.complete || socket.isPaused()) return;
    if (res.headersSent) socket.destroy();
    else fail(requestTimeout(), undefined, sendRequestTimeout);
  }));
  try {
    if (req.method === "OPTIONS" && deps.cors) return await answerPreflight(req, res, deps.cors, deps.domains, requestId);
    const route = routeRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers }, { domains: deps.domains });
    if (route instanceof S3Error) return fail(route);
    out.route = route;
    if (deps.cors) await applyCorsHeaders(req, res, deps.cors, route.bucket);
    const now = deps.now?.() ?? new Date();
    const lookup = (id: string) => deps.keys.lookup(id).catch((err: unknown) => {
      throw new KeyStoreUnavailable((err as Error).message);
    });
    if (route.operation === "PostObject") {
      return await handlePostObject({
        req, res, route, requestId, now, db: deps.db, storageFor: deps.storageFor,
        auth: { lookup, regionAliases: deps.regionAliases ?? regionAliases },
        onKey: (key, signedWith) => { out.key = key; out.signedWith = signedWith; }, onBytes: (n) => { out.inBytes = n; },
      });
    }
    const auth = await verifyRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headersDistinct }, { now, lookup, regionAliases: deps.regionAliases ?? regionAliases });
    if (!auth.ok) {
      if (auth.accessKeyId) out.key = await deps.keys.lookup(auth.accessKeyId).catch(() => null);
      return fail(authError(auth), auth.reason);
    }
    out.key = auth.key;
    out.signedWith = auth.signedWith;
    const decision = authorizeRequest(auth.key, route, auth, ip, now);
    if (!decision.allow) {
      const missing = await missingBucket(deps.db, auth.key, route, decision);
      return missing ? fail(missing) : fail(new S3Error(decision.code, decision.message, 403), decision.reason);
    }
    const body = verifiedBody(req, auth);
    if (BUCKET_ADMIN_OPERATIONS.has(route.operation)) {
      await handleBucketAdmin({
        req, res, body, route, requestId, key: auth.key, db: deps.db, storage: deps.storageFor(auth.key.region),
        onS3Error: (code) => { out.errorCode = code; }, cors: deps.cors,
      });
      // Read-your-writes on this gateway: the NOTIFY may arrive after the client's next request
      // (e.g. a ListBuckets right after DeleteBucket); this runs before any further I/O event.
      deps.keys.invalidate(`project:${auth.key.projectId}`);
      return;
    }
    await handleOperation({
      req, res, body, route, requestId, region: auth.key.region, storage: deps.storageFor(auth.key.region),
      // Methods, not arrow properties: tsx keeps function names with a defineProperty per arrow.
      async listBuckets() {
        const visible = new Set(bucketsVisible(auth.key.scope, auth.key.buckets.map((b) => b.name)));
        return auth.key.buckets.filter((b) => visible.has(b.name));
      },
      stats: out,
      onS3Error(e) { out.errorCode = e.code; },
      bodyVerified: true, // verifiedBody already checked Content-MD5 and checksums
      authorizeObject(objectKey, versionId) { return authorizeEntry(auth.key, route.bucket!, objectKey, versionId, ip, now); },
      can(permission) { return keyHasPermission(auth.key.scope, permission); },
      onError(err) { console.error(`[gateway ${requestId}]`, err); },
    });
  } catch (err) {
    if (err instanceof KeyStoreUnavailable) {
      // The state of the key is unknown: neither 200 nor a misleading 403; 503 tells clients to retry.
      console.error(`[gateway ${requestId}] key store unavailable:`, err.message);
      return fail(new S3Error("ServiceUnavailable", "The service is temporarily unavailable. Please retry.", 503));
    }
    // Malformed headers found while setting up the body (Content-MD5, checksums) are the
    // client's; anything else is a bug: logged here, a bare 500 to the client.
    if (!isClientFacing(err)) console.error(`[gateway ${requestId}]`, err);
    fail(toS3Error(err));
  }
}

/** A SigV4 failure as S3 renders it; a wrong region names the right one (clients retry with it). */
function authError(auth: VerifyFail): S3Error {
  const err = new S3Error(auth.code, auth.message, auth.status, auth.region ? { Region: auth.region } : {});
  if (auth.region) err.headers["x-amz-bucket-region"] = auth.region;
  return err;
}

/** The resource named by errors raised before routing succeeded: the path as sent, decoded when possible. */
function requestPath(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0] || "/";
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function finish(res: ServerResponse, deps: GatewayDeps, meta: RequestMeta, out: Outcome) {
  const durationMs = performance.now() - meta.started;
  const operation = out.route?.operation ?? "Unknown";
  deps.metrics.requests.inc({ operation, status: String(res.statusCode) });
  deps.metrics.duration.observe({ operation }, durationMs / 1000);
  deps.metrics.bytes.inc({ direction: "in" }, out.inBytes);
  deps.metrics.bytes.inc({ direction: "out" }, out.outBytes);
  if (!out.key) return; // events belong to a key; unknown keys only count in metrics
  deps.events.record({
    at: new Date(), orgId: out.key.orgId, projectId: out.key.projectId, keyId: out.key.keyId, accessKeyId: out.key.accessKeyId,
    outcome: res.statusCode === 401 || res.statusCode === 403 ? "denied" : "allowed", operation, bucket: out.route?.bucket ?? null, objectKey: out.route?.key ?? null,
    status: res.statusCode, errorCode: out.errorCode, bytesIn: out.inBytes, bytesOut: out.outBytes, durationMs,
    ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId, signedWith: out.signedWith ?? null,
  });
}
