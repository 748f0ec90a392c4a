// Request routing: host + path + method + query → S3 operation, bucket and key.
// Pure (no I/O) so it can be tested exhaustively and run before authentication.
import type { IncomingHttpHeaders } from "node:http";
import type { S3Operation } from "../lib/s3/operations";
import { validateBucketName } from "../lib/s3/bucket-name";
import { S3Error, invalidBucketName, invalidUri } from "./errors";
import { classifyBucket, classifyObject, classifyService, unsupportedSubresource } from "./router-classify";
import {
  type CopySource,
  checkKeyLength,
  checkUnsupportedHeaders,
  checkVersionId,
  headerValue,
  parseCopySource,
} from "./router-headers";

export type { CopySource } from "./router-headers";

export type RouteInput = { method: string; url: string; headers: IncomingHttpHeaders };
export type RouteOptions = { domains: string[] };

export type S3Route = {
  operation: S3Operation;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  copySource?: CopySource;
  versionId?: string;
  /** How the bucket was addressed; "path" also for ListBuckets. */
  style: "path" | "virtual";
};

export function routeRequest(input: RouteInput, opts: RouteOptions): S3Route | S3Error {
  const split = splitUrl(input.url);
  if (!split) return invalidUri();
  const query = new URLSearchParams(split.rawQuery);
  const hostBucket = bucketFromHost(headerValue(input.headers, "host"), opts.domains);
  const target = hostBucket === null ? splitPathStyle(split.rawPath) : splitVirtual(split.rawPath, hostBucket);
  if (target instanceof S3Error) return target;
  const { bucket, key } = target;
  if (bucket !== undefined) {
    const reason = validateBucketName(bucket);
    if (reason) return invalidBucketName(bucket, reason);
  }
  if (key !== undefined) {
    const tooLong = checkKeyLength(key);
    if (tooLong) return tooLong;
  }
  return finishRoute(input, { bucket, key, query, style: hostBucket === null ? "path" : "virtual" });
}

type Target = { bucket?: string; key?: string };

function finishRoute(
  input: RouteInput,
  partial: Target & { query: URLSearchParams; style: "path" | "virtual" },
): S3Route | S3Error {
  const { bucket, key, query } = partial;
  const method = input.method.toUpperCase();
  const copyHeader = headerValue(input.headers, "x-amz-copy-source");
  // ?cors is served on buckets only; on an object it stays refused like every unserved subresource.
  const bucketCors = key === undefined && query.has("cors");
  const unsupported = bucket === undefined || bucketCors ? null : unsupportedSubresource(query);
  if (unsupported) return unsupported;
  const operation =
    bucket === undefined
      ? classifyService(method)
      : key === undefined
        ? classifyBucket(method, query)
        : classifyObject(method, query, copyHeader !== undefined);
  if (operation instanceof S3Error) return operation;
  const refused = checkUnsupportedHeaders(operation, input.headers);
  if (refused) return refused;
  const route: S3Route = { operation, ...partial };
  if (operation === "CopyObject" || operation === "UploadPartCopy") {
    const source = parseCopySource(copyHeader ?? "");
    if (source instanceof S3Error) return source;
    route.copySource = source;
  }
  if (operation === "GetObject" || operation === "HeadObject" || operation === "DeleteObject") {
    const versionId = query.get("versionId") ?? undefined;
    const bad = checkVersionId(versionId);
    if (bad) return bad;
    if (versionId !== undefined) route.versionId = versionId;
  }
  return route;
}

/** Splits a request target into raw (still encoded) path and query; accepts absolute-form URLs. */
function splitUrl(url: string): { rawPath: string; rawQuery: string } | null {
  let target = url;
  const scheme = /^https?:\/\/[^/?#]*/i.exec(target);
  if (scheme) target = target.slice(scheme[0].length) || "/";
  if (target.startsWith("?")) target = "/" + target;
  if (!target.startsWith("/")) return null;
  const q = target.indexOf("?");
  return q === -1 ? { rawPath: target, rawQuery: "" } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/** Returns the bucket for virtual-hosted style (`<bucket>.<domain>`), or null for path style. */
export function bucketFromHost(host: string | undefined, domains: string[]): string | null {
  if (!host) return null;
  const name = stripPort(host.trim().toLowerCase());
  for (const domain of longestFirst(domains)) {
    if (domain && name.endsWith("." + domain)) {
      const bucket = name.slice(0, -(domain.length + 1));
      return bucket || null;
    }
  }
  return null;
}

/** The gateway's domains normalised, longest first; the list is the same for every request. */
const normalisedDomains = new WeakMap<string[], string[]>();
function longestFirst(domains: string[]): string[] {
  let sorted = normalisedDomains.get(domains);
  if (sorted === undefined) {
    sorted = domains.map((d) => d.toLowerCase().replace(/\.$/, "")).sort((a, b) => b.length - a.length);
    normalisedDomains.set(domains, sorted);
  }
  return sorted;
}

function stripPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1); // IPv6 literal
  const colon = host.lastIndexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).replace(/\.$/, "");
}

/**
 * Keys are taken from the path exactly as sent (percent-decoded only): S3 does
 * not normalize, so "a/../b", "./x", "a//b" and "dir/" are distinct literal keys.
 */
function splitPathStyle(rawPath: string): Target | S3Error {
  const rest = rawPath.slice(1);
  if (rest === "") return {};
  const slash = rest.indexOf("/");
  const rawBucket = slash === -1 ? rest : rest.slice(0, slash);
  const rawKey = slash === -1 ? "" : rest.slice(slash + 1);
  const bucket = decode(rawBucket);
  const key = decode(rawKey);
  if (bucket === null || key === null) return invalidUri();
  return key === "" ? { bucket } : { bucket, key };
}

function splitVirtual(rawPath: string, bucket: string): Target | S3Error {
  const key = decode(rawPath.slice(1));
  if (key === null) return invalidUri();
  return key === "" ? { bucket } : { bucket, key };
}

function decode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
