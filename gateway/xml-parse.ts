// Request bodies the gateway reads as XML: Delete, CompleteMultipartUpload,
// CreateBucketConfiguration and VersioningConfiguration. Bodies are size-limited while they are read, and
// DOCTYPE/ENTITY declarations are refused outright (no entity expansion).
import type { Readable } from "node:stream";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { S3Error, invalidArgument, malformedXml } from "./errors";

/** Largest XML body accepted per operation (1,000 DeleteObjects keys of 1 KiB fit, with markup). */
export const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_CREATE_BUCKET_XML_BYTES = 64 * 1024;
export const MAX_DELETE_OBJECTS = 1000;
/** Beyond its limit a body is still read (and discarded) this far, so the client reads our answer. */
const MAX_DISCARD_BYTES = 8 * 1024 * 1024;
/** S3's XML documents nest 3 levels deep; anything far deeper is an attack on the parser. */
const MAX_XML_DEPTH = 32;

export const requestTooLarge = () => new S3Error("MaxMessageLengthExceeded", "Your request was too big.", 400);

/**
 * Reads a request body as UTF-8, failing with MaxMessageLengthExceeded beyond `limit` bytes.
 * An oversized body is read to its end (up to 8 MiB more) before failing, so that the client,
 * still sending, is not cut off before it can read the error.
 */
export async function readXmlBody(body: Readable, limit = MAX_XML_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size <= limit) chunks.push(buf);
    else if (size > limit + MAX_DISCARD_BYTES) break;
  }
  if (size > limit) {
    body.destroy();
    throw requestTooLarge();
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Element nesting depth, counted without recursion (the parser's recursion is what overflows). */
function nestingDepth(xml: string): number {
  let depth = 0;
  let max = 0;
  for (const m of xml.matchAll(/<(\/?)[A-Za-z_][^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2]) max = Math.max(max, ++depth);
  }
  return max;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // keys like "0123" stay strings
  trimValues: false, // keys may start or end with spaces
  processEntities: false, // decoded by decodeEntities, exactly the five XML entities + char refs
  isArray: (name) => name === "Object" || name === "Part",
});

type XmlNode = Record<string, unknown>;

/** Validates and parses `xml`, returning the root element named `root`. */
export function parseRoot(xml: string, root: string): XmlNode | string {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw malformedXml();
  // XML 1.0 allows no control characters but tab, CR and LF (S3 answers MalformedXML).
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)) throw malformedXml();
  if (nestingDepth(xml) > MAX_XML_DEPTH) throw malformedXml();
  let doc: XmlNode;
  try {
    if (XMLValidator.validate(xml) !== true) throw malformedXml();
    doc = parser.parse(xml) as XmlNode;
  } catch {
    throw malformedXml(); // whatever the parser trips on is the document's fault
  }
  const value = doc[root];
  if (value === undefined) throw malformedXml();
  return value as XmlNode | string;
}

export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, name: string) => {
    switch (name) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return '"';
      case "apos": return "'";
    }
    const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    if (code > 0x10ffff) throw malformedXml();
    return String.fromCodePoint(code);
  });
}

/** Text content of a leaf; "" for an empty element; MalformedXML for nested elements. */
export function text(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw malformedXml();
  return decodeEntities(value);
}

export function asNode(value: unknown): XmlNode {
  if (value === "") return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformedXml();
  return value as XmlNode;
}

export type DeleteRequest = { quiet: boolean; objects: { key: string; versionId?: string }[] };

export function parseDeleteRequest(xml: string): DeleteRequest {
  const root = asNode(parseRoot(xml, "Delete"));
  const entries = (root.Object as unknown[] | undefined) ?? [];
  if (entries.length === 0 || entries.length > MAX_DELETE_OBJECTS) throw malformedXml();
  const objects = entries.map((entry) => {
    const obj = asNode(entry);
    const key = text(obj.Key);
    if (key === undefined || key === "") throw malformedXml();
    const versionId = text(obj.VersionId);
    return versionId === undefined ? { key } : { key, versionId };
  });
  const quiet = (text(root.Quiet) ?? "false").trim().toLowerCase() === "true";
  return { quiet, objects };
}

export function parseCompleteMultipartUpload(xml: string): { partNumber: number; etag: string }[] {
  const root = asNode(parseRoot(xml, "CompleteMultipartUpload"));
  const entries = (root.Part as unknown[] | undefined) ?? [];
  if (entries.length === 0) throw malformedXml();
  return entries.map((entry) => {
    const part = asNode(entry);
    const num = text(part.PartNumber)?.trim() ?? "";
    const etag = text(part.ETag)?.trim();
    if (!/^\d+$/.test(num) || !etag) throw malformedXml();
    const partNumber = Number(num);
    if (partNumber < 1 || partNumber > 10000) {
      throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", num);
    }
    return { partNumber, etag: normalizeEtag(etag) };
  });
}

/** Clients send part ETags with or without quotes; storage compares the quoted form. */
export function normalizeEtag(etag: string): string {
  const bare = etag.replace(/^"+|"+$/g, "");
  return `"${bare}"`;
}

/** Empty body → no constraint. */
export function parseCreateBucketConfiguration(xml: string): { locationConstraint?: string } {
  if (xml.trim() === "") return {};
  const root = asNode(parseRoot(xml, "CreateBucketConfiguration"));
  const constraint = text(root.LocationConstraint)?.trim();
  return constraint ? { locationConstraint: constraint } : {};
}

/** PutBucketVersioning: Status Enabled or Suspended. MFA delete cannot be honoured, so it is refused. */
export function parseVersioningConfiguration(xml: string): { status: "Enabled" | "Suspended" } {
  const root = asNode(parseRoot(xml, "VersioningConfiguration"));
  const status = text(root.Status)?.trim();
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  if (text(root.MfaDelete)?.trim() === "Enabled") {
    throw new S3Error("NotImplemented", "MFA delete is not supported by this gateway", 501);
  }
  return { status };
}
