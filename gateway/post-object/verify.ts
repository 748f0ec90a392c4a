// Authentication of a POST Object form: the policy (base64, as sent) signed with the SigV4 key of
// the credential's scope. The same key lookup, region aliases and constant-time comparison as
// header auth; errors as S3 sends them for forms.
import { parseAmzDate, parseCredential } from "../sigv4/auth-parse";
import { deriveSigningKey, hmac, signaturesEqual } from "../sigv4/canonical-request";
import { previousSecretInForce } from "../sigv4/verify-request";
import { S3Error } from "../errors";
import type { GatewayKey } from "../key-store";

export type FormAuthDeps = {
  lookup: (accessKeyId: string) => Promise<GatewayKey | null>;
  regionAliases: (regionId: string) => readonly string[];
};

export type VerifiedForm = { key: GatewayKey; signedWith: "current" | "previous" };

const invalidArgument = (message: string, name: string) => new S3Error("InvalidArgument", message, 400, { ArgumentName: name });

/**
 * Returns the signing key's record and which of its secrets signed, or throws the S3 error for
 * the form. `onKey` sees a known key even when it is refused.
 */
export async function verifyPostForm(fields: Map<string, string>, deps: FormAuthDeps, now: Date, onKey: (key: GatewayKey) => void): Promise<VerifiedForm> {
  const policy = fields.get("policy");
  if (fields.get("x-amz-algorithm") !== "AWS4-HMAC-SHA256") {
    if (fields.has("awsaccesskeyid") || fields.has("signature")) throw new S3Error("InvalidRequest", "Please use AWS4-HMAC-SHA256.", 400);
    throw invalidArgument("Bucket POST must contain a field named 'x-amz-algorithm' with the value AWS4-HMAC-SHA256.", "x-amz-algorithm");
  }
  if (!policy) throw invalidArgument("Bucket POST must contain a field named 'policy'.", "policy");
  const credential = parseCredential(fields.get("x-amz-credential") ?? "");
  if (!credential || credential.service !== "s3") throw invalidArgument("Invalid credential in the form.", "x-amz-credential");
  const date = parseAmzDate(fields.get("x-amz-date") ?? "");
  if (!date || fields.get("x-amz-date")!.slice(0, 8) !== credential.scopeDate) throw invalidArgument("Invalid x-amz-date in the form.", "x-amz-date");
  const signature = fields.get("x-amz-signature") ?? "";
  if (!/^[0-9a-f]{64}$/.test(signature)) throw invalidArgument("Bucket POST must contain a field named 'x-amz-signature'.", "x-amz-signature");
  const key = await deps.lookup(credential.accessKeyId);
  if (!key) throw new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403);
  onKey(key);
  if (credential.region !== key.region && !deps.regionAliases(key.region).includes(credential.region)) {
    const err = new S3Error("AuthorizationQueryParametersError", `Error parsing the X-Amz-Credential parameter; the region '${credential.region}' is wrong; expecting '${key.region}'`, 400, { Region: key.region });
    throw err;
  }
  const signs = (secret: string) => signaturesEqual(hmac(deriveSigningKey(secret, credential.scopeDate, credential.region, "s3"), policy).toString("hex"), signature);
  if (signs(key.secret)) return { key, signedWith: "current" };
  const previousSecret = previousSecretInForce(key, now);
  if (previousSecret && signs(previousSecret)) return { key, signedWith: "previous" };
  throw new S3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", 403);
}
