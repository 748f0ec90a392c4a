// CORS rules in the JSON form of `aws s3api put-bucket-cors` ({"CORSRules": [{"AllowedOrigins": ...}]}),
// the one the console's editor shows and takes, so a configuration can be copied between the
// console, the aws CLI and the docs unchanged.
import { z } from "zod";
import { badRequest } from "../errors";
import { type CorsRule, corsRulesSchema } from "./cors-rules";

const awsRuleSchema = z.object({
  ID: z.string().optional(),
  AllowedOrigins: z.array(z.string()),
  AllowedMethods: z.array(z.string()),
  AllowedHeaders: z.array(z.string()).optional(),
  ExposeHeaders: z.array(z.string()).optional(),
  MaxAgeSeconds: z.number().optional(),
});
const awsDocumentSchema = z.object({ CORSRules: z.array(awsRuleSchema) });

export function corsRulesToJson(rules: CorsRule[]): string {
  const doc = {
    CORSRules: rules.map((r) => ({
      ...(r.id ? { ID: r.id } : {}),
      AllowedOrigins: r.allowedOrigins, AllowedMethods: r.allowedMethods,
      ...(r.allowedHeaders.length ? { AllowedHeaders: r.allowedHeaders } : {}),
      ...(r.exposeHeaders.length ? { ExposeHeaders: r.exposeHeaders } : {}),
      ...(r.maxAgeSeconds !== undefined ? { MaxAgeSeconds: r.maxAgeSeconds } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2);
}

/** Parses the editor's text; every problem is a 400 on the `rules` field, with S3's vocabulary. */
export function corsRulesFromJson(text: string): CorsRule[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest("The CORS rules are not valid JSON.", { rules: ["Not valid JSON."] });
  }
  const doc = awsDocumentSchema.safeParse(json);
  if (!doc.success) throw badRequest("Check the CORS rules.", { rules: ['Expected {"CORSRules": [{"AllowedOrigins": [...], "AllowedMethods": [...]}]}.'] });
  const rules = corsRulesSchema.safeParse(
    doc.data.CORSRules.map((r) => ({
      id: r.ID, allowedOrigins: r.AllowedOrigins, allowedMethods: r.AllowedMethods.map((m) => m.toUpperCase()),
      allowedHeaders: r.AllowedHeaders ?? [], exposeHeaders: r.ExposeHeaders ?? [], maxAgeSeconds: r.MaxAgeSeconds,
    })),
  );
  if (!rules.success) throw badRequest("Check the CORS rules.", { rules: [...new Set(rules.error.issues.map((i) => i.message))] });
  return rules.data;
}
