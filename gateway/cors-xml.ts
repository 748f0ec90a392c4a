// CORSConfiguration documents for Put/GetBucketCors. Parsed with fast-xml-parser (DOCTYPE and
// entities refused like every XML body), validated with the same zod schema as the console.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type CorsRule, corsRulesSchema } from "../lib/buckets/cors-rules";
import { S3Error, malformedXml } from "./errors";
import { el, node, xmlDocument } from "./xml";

const LISTS = new Set(["CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"]);
const parser = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, parseTagValue: false, processEntities: true, isArray: (name) => LISTS.has(name) });

type RawRule = { ID?: string; AllowedOrigin?: string[]; AllowedMethod?: string[]; AllowedHeader?: string[]; ExposeHeader?: string[]; MaxAgeSeconds?: string };

export function parseCorsConfiguration(xml: string): CorsRule[] {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml) || XMLValidator.validate(xml) !== true) throw malformedXml();
  const root = (parser.parse(xml) as Record<string, unknown>).CORSConfiguration as { CORSRule?: RawRule[] } | undefined;
  if (!root || typeof root !== "object" || !root.CORSRule) throw malformedXml();
  const rules = root.CORSRule.map((r) => ({
    id: r.ID,
    allowedOrigins: r.AllowedOrigin ?? [],
    allowedMethods: r.AllowedMethod ?? [],
    allowedHeaders: r.AllowedHeader ?? [],
    exposeHeaders: r.ExposeHeader ?? [],
    maxAgeSeconds: r.MaxAgeSeconds === undefined ? undefined : /^\d{1,10}$/.test(r.MaxAgeSeconds) ? Number(r.MaxAgeSeconds) : NaN,
  }));
  const parsed = corsRulesSchema.safeParse(rules);
  if (!parsed.success) {
    const method = parsed.error.issues.some((i) => i.path.includes("allowedMethods") && i.code !== "too_small");
    // S3's own code for an unknown method; everything else is a schema violation.
    if (method) throw new S3Error("InvalidRequest", "Found unsupported HTTP method in CORS config.", 400);
    throw malformedXml();
  }
  return parsed.data;
}

export function renderCorsConfiguration(rules: CorsRule[]): string {
  return xmlDocument(
    "CORSConfiguration",
    rules
      .map((r) =>
        node(
          "CORSRule",
          el("ID", r.id),
          r.allowedHeaders.map((h) => el("AllowedHeader", h)).join(""),
          r.allowedMethods.map((m) => el("AllowedMethod", m)).join(""),
          r.allowedOrigins.map((o) => el("AllowedOrigin", o)).join(""),
          r.exposeHeaders.map((h) => el("ExposeHeader", h)).join(""),
          el("MaxAgeSeconds", r.maxAgeSeconds),
        ),
      )
      .join(""),
  );
}

export const noSuchCorsConfiguration = (bucket: string) =>
  new S3Error("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404, { BucketName: bucket });
