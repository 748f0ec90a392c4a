// S3 XML output: escaping, a tiny element builder, the error document and the
// small result documents. Listing documents live in xml-lists.ts, request-body
// parsing in xml-parse.ts. Output is built as strings on purpose: every
// document is small, flat and fixed in shape, and a string builder keeps the
// escaping rules in one auditable place (fast-xml-parser is used for input).
import type { S3Error } from "./errors";

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

type Leaf = string | number | boolean | null | undefined;

/**
 * Escapes text for element content. CR and the C0 controls XML 1.0 cannot carry
 * raw are written as character references so keys round-trip exactly (a raw CR
 * would be normalized to LF by any conforming parser).
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => {
    switch (c) {
      case "&": return "&amp;";
      case "<": return "&lt;";
      case ">": return "&gt;";
      case '"': return "&quot;";
      case "'": return "&apos;";
      default: return `&#${c.charCodeAt(0)};`;
    }
  });
}

/** A leaf element; omitted entirely when value is null or undefined. */
export function el(name: string, value: Leaf): string {
  if (value === null || value === undefined) return "";
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A container element around already-rendered children (falsy children are skipped). */
export function node(name: string, ...children: (string | false | null | undefined)[]): string {
  return `<${name}>${children.filter(Boolean).join("")}</${name}>`;
}

export function xmlDocument(root: string, inner: string, withNamespace = true): string {
  const open = withNamespace ? `<${root} xmlns="${S3_XMLNS}">` : `<${root}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${inner}</${root}>`;
}

/**
 * `encoding-type=url` as S3 applies it: percent-encode UTF-8 bytes except
 * unreserved characters, keep "/" and "*", and write space as "+" (clients
 * decode with unquote_plus / decodeURIComponent after "+" → " ").
 */
export function s3UrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%2F/g, "/")
    .replace(/%2A/g, "*")
    .replace(/%20/g, "+");
}

export function renderError(err: S3Error, requestId: string): string {
  const extra = Object.entries(err.extra).map(([k, v]) => el(k, v));
  return xmlDocument(
    "Error",
    [el("Code", err.code), el("Message", err.message), ...extra, el("Resource", err.resource), el("RequestId", requestId)].join(""),
    false,
  );
}

export const renderLocation = (region: string) =>
  xmlDocument("LocationConstraint", escapeXml(region === "us-east-1" ? "" : region));

/** A never-versioned bucket has an empty configuration (no Status), as S3 answers. */
export const renderVersioning = (status?: "Enabled" | "Suspended") => xmlDocument("VersioningConfiguration", el("Status", status));

export const renderCopyObjectResult = (etag: string, lastModified: Date) =>
  xmlDocument("CopyObjectResult", el("LastModified", lastModified.toISOString()) + el("ETag", etag));

export const renderCopyPartResult = (etag: string, lastModified: Date) =>
  xmlDocument("CopyPartResult", el("LastModified", lastModified.toISOString()) + el("ETag", etag));

export const renderInitiateMultipartUpload = (bucket: string, key: string, uploadId: string) =>
  xmlDocument("InitiateMultipartUploadResult", el("Bucket", bucket) + el("Key", key) + el("UploadId", uploadId));

export const renderCompleteMultipartUpload = (location: string, bucket: string, key: string, etag: string) =>
  xmlDocument(
    "CompleteMultipartUploadResult",
    el("Location", location) + el("Bucket", bucket) + el("Key", key) + el("ETag", etag),
  );

export type DeleteOutcome =
  | { key: string; versionId?: string; deleted: true; deleteMarker?: boolean; deleteMarkerVersionId?: string }
  | { key: string; versionId?: string; deleted: false; code: string; message: string };

/** DeleteResult; in quiet mode only the failures are listed. */
export function renderDeleteResult(outcomes: DeleteOutcome[], quiet: boolean): string {
  const parts = outcomes
    .filter((o) => !(quiet && o.deleted))
    .map((o) =>
      o.deleted
        ? node("Deleted", el("Key", o.key), el("VersionId", o.versionId), o.deleteMarker && el("DeleteMarker", true), el("DeleteMarkerVersionId", o.deleteMarkerVersionId))
        : node("Error", el("Key", o.key), el("VersionId", o.versionId), el("Code", o.code), el("Message", o.message)),
    );
  return xmlDocument("DeleteResult", parts.join(""));
}
