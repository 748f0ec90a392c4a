import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { getEnv } from "../lib/env";
import { resolveClientIp } from "../lib/net/client-ip";
import { authorize, type AccessRequest, type Decision } from "../lib/keys/scope";
import type { GatewayKey } from "./key-store";
import type { S3Route } from "./router";
import type { VerifyOk } from "./sigv4";

const LIST_OPS = new Set(["ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads"]);

/**
 * The client address: the TCP peer, or what trusted proxies (KEYGATE_TRUSTED_PROXIES) say it
 * is; IPv4-mapped IPv6 shown as IPv4. The same helper resolves it for the console and the API.
 */
export function sourceIp(req: IncomingMessage): string {
  const trusted = getEnv().trustedProxies;
  if (trusted.length > 0) return resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted) ?? "";
  // Without trusted proxies the answer depends on the connection only: once per keep-alive connection.
  let ip = peerIps.get(req.socket);
  if (ip === undefined) {
    ip = resolveClientIp(req.socket.remoteAddress, undefined, trusted) ?? "";
    peerIps.set(req.socket, ip);
  }
  return ip;
}

const peerIps = new WeakMap<Socket, string>();

/**
 * The scope decision for one verified request; every input comes from the stored key. `ip` is
 * sourceIp(req) captured when the request started (the socket may be gone later).
 */
export function authorizeRequest(key: GatewayKey, route: S3Route, auth: VerifyOk<unknown>, ip: string, now: Date): Decision {
  // A presigned URL may not outlive the key that signed it.
  if (auth.presigned && auth.presignExpiresAt && key.scope.expiresAt && auth.presignExpiresAt > key.scope.expiresAt) {
    return { allow: false, code: "AccessDenied", reason: "expired", message: "The presigned URL expires after the key that signed it." };
  }
  const access: AccessRequest = {
    operation: route.operation,
    bucket: route.bucket,
    objectKey: route.key,
    listPrefix: LIST_OPS.has(route.operation) ? (route.query.get("prefix") ?? "") : undefined,
    // Any versionId, "null" too: in a versioned bucket the null version may be an old one.
    versionId: route.versionId !== undefined,
    sourceIp: ip,
    now,
    copySource: route.copySource
      ? { bucket: route.copySource.bucket, key: route.copySource.key, versionId: route.copySource.versionId }
      : undefined,
  };
  return authorize(key.scope, access);
}

/** DeleteObjects entries: the same decision as a DeleteObject of that one key. */
export function authorizeEntry(key: GatewayKey, bucket: string, objectKey: string, versionId: string | undefined, ip: string, now: Date) {
  const decision = authorize(key.scope, {
    operation: "DeleteObject", bucket, objectKey, versionId: versionId !== undefined, sourceIp: ip, now,
  });
  return decision.allow ? null : { code: decision.code, message: decision.message };
}
