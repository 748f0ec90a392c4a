// HTTP header helpers for object operations: user metadata, Range, conditional
// requests (RFC 7232 precedence, as S3 applies it) and response headers.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { ByteRange, ObjectInfo, ObjectMetadata } from "../lib/storage/types";
import { S3Error, metadataTooLarge, preconditionFailed } from "./errors";
import { headerValue } from "./router-headers";

export const DEFAULT_CONTENT_TYPE = "binary/octet-stream";
const MAX_USER_METADATA_BYTES = 2048;
const META_PREFIX = "x-amz-meta-";

const STANDARD_HEADERS = [
  ["contentType", "content-type"],
  ["contentEncoding", "content-encoding"],
  ["contentDisposition", "content-disposition"],
  ["contentLanguage", "content-language"],
  ["cacheControl", "cache-control"],
  ["expires", "expires"],
] as const;

/** Object metadata from request headers; Content-Type defaults to binary/octet-stream as in S3. */
export function extractMetadata(headers: IncomingHttpHeaders): ObjectMetadata {
  const userMetadata: Record<string, string> = {};
  let size = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith(META_PREFIX) || raw === undefined) continue;
    const key = name.slice(META_PREFIX.length);
    const value = Array.isArray(raw) ? raw.join(",") : raw;
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
    userMetadata[key] = value;
  }
  if (size > MAX_USER_METADATA_BYTES) throw metadataTooLarge();
  const metadata: ObjectMetadata = { userMetadata };
  for (const [field, header] of STANDARD_HEADERS) {
    const value = headerValue(headers, header);
    if (value !== undefined && value !== "") metadata[field] = value;
  }
  metadata.contentType ??= DEFAULT_CONTENT_TYPE;
  metadata.contentEncoding = storedContentEncoding(metadata.contentEncoding);
  if (metadata.contentEncoding === undefined) delete metadata.contentEncoding;
  return metadata;
}

/**
 * `aws-chunked` describes how the request body travelled, not the object: S3 drops it and keeps
 * the other codings (`aws-chunked,gzip` is stored as `gzip`).
 */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const codings = value.split(",").map((c) => c.trim()).filter((c) => c !== "" && c.toLowerCase() !== "aws-chunked");
  return codings.length > 0 ? codings.join(",") : undefined;
}

/**
 * Resolves a Range header against `size`. Returns null to serve the whole
 * object (no header, a unit other than bytes, a syntactically invalid spec, or
 * several ranges: S3 ignores those), "unsatisfiable" for a 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, first, last] = m;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

export type Conditionals = {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
};

/** Reads the four conditional headers; prefix "x-amz-copy-source-" for copy-source conditions. */
export function readConditionals(headers: IncomingHttpHeaders, prefix = ""): Conditionals {
  return {
    ifMatch: headerValue(headers, `${prefix}if-match`),
    ifNoneMatch: headerValue(headers, `${prefix}if-none-match`),
    ifModifiedSince: headerValue(headers, `${prefix}if-modified-since`),
    ifUnmodifiedSince: headerValue(headers, `${prefix}if-unmodified-since`),
  };
}

export function hasConditionals(c: Conditionals): boolean {
  return Object.values(c).some((v) => v !== undefined);
}

/**
 * "read" = GET/HEAD (failed If-None-Match / If-Modified-Since → 304),
 * "write" = conditional PUT (If-Modified-Since ignored, everything → 412),
 * "copy" = x-amz-copy-source-if-* (every failure → 412).
 */
export type ConditionalMode = "read" | "write" | "copy";

/** RFC 7232 §6 order: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since. */
export function evaluateConditionals(
  c: Conditionals,
  info: Pick<ObjectInfo, "etag" | "lastModified">,
  mode: ConditionalMode,
): "proceed" | "not-modified" | S3Error {
  const name = (h: string) => (mode === "copy" ? `x-amz-copy-source-${h}` : h);
  const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, info.etag)) return preconditionFailed(name("If-Match"));
  } else {
    const ius = parseHttpDate(c.ifUnmodifiedSince);
    if (ius !== null && modified > ius) return preconditionFailed(name("If-Unmodified-Since"));
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, info.etag)) {
      return mode === "read" ? "not-modified" : preconditionFailed(name("If-None-Match"));
    }
  } else if (mode !== "write") {
    const ims = parseHttpDate(c.ifModifiedSince);
    if (ims !== null && modified <= ims) {
      return mode === "read" ? "not-modified" : preconditionFailed(name("If-Modified-Since"));
    }
  }
  return "proceed";
}

/** Strong comparison against a list of entity tags; "*" matches any existing object. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = stripQuotes(etag);
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || stripQuotes(tag) === bare;
  });
}

const stripQuotes = (s: string) => s.replace(/^"|"$/g, "");

function parseHttpDate(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export const httpDate = (d: Date) => d.toUTCString();

const OVERRIDES = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
] as const;

/** Headers describing an object on GET/HEAD, with response-* query overrides applied. */
export function objectHeaders(info: ObjectInfo, query?: URLSearchParams): OutgoingHttpHeaders {
  const m = info.metadata;
  const headers: OutgoingHttpHeaders = {
    "content-type": m.contentType ?? DEFAULT_CONTENT_TYPE,
    etag: info.etag,
    "last-modified": httpDate(info.lastModified),
    "accept-ranges": "bytes",
  };
  for (const [field, header] of STANDARD_HEADERS) {
    const value = m[field];
    if (value !== undefined && field !== "contentType") headers[header] = value;
  }
  for (const [name, value] of Object.entries(m.userMetadata)) headers[META_PREFIX + name] = value;
  for (const [param, header] of OVERRIDES) {
    const value = query?.get(param);
    if (value) headers[header] = value;
  }
  return sanitizeHeaders(headers);
}

/**
 * Node refuses header values outside Latin-1; metadata written by other
 * clients may hold any Unicode, so such values are sent RFC 2047-encoded as S3 does.
 */
export function sanitizeHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string" && /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      headers[name] = `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
    }
  }
  return headers;
}
