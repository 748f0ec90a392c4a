import type { HeaderMap } from "./canonical-request";
import { singleHeader } from "./auth-parse";
import { MSG, fail } from "./errors";
import type { ParsedAuth, PayloadMode, VerifyFail } from "./types";

// Resolves how the body is protected, from x-amz-content-sha256 (header auth: required and,
// like every x-amz-* header, signed) or, for presigned URLs, from the signed query parameter
// X-Amz-Content-Sha256 that the AWS SDK presigner adds; presigns default to UNSIGNED-PAYLOAD.

export type PayloadInfo = {
  mode: PayloadMode;
  /** Last line of the canonical request: the value exactly as the client signed it. */
  canonicalHash: string;
  contentSha256?: string;
  decodedContentLength?: number;
};

const NAMED_MODES: ReadonlySet<string> = new Set<PayloadMode>([
  "UNSIGNED-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
]);

const badValue = () => fail(400, "InvalidArgument", "bad_content_sha256", MSG.badContentSha256);

function declaredValue(auth: ParsedAuth, headers: HeaderMap, params: Array<[string, string]>): string | VerifyFail {
  const header = singleHeader(headers, "x-amz-content-sha256");
  if (header === "repeated") return badValue();
  if (auth.kind === "header") {
    return header ?? fail(400, "InvalidRequest", "missing_content_sha256", MSG.missingContentSha256);
  }
  let fromQuery: string | undefined;
  for (const [name, value] of params) {
    if (name !== "X-Amz-Content-Sha256") continue;
    if (fromQuery !== undefined) return badValue();
    fromQuery = value;
  }
  // Both present and different would leave the canonical payload line ambiguous.
  if (header !== undefined && fromQuery !== undefined && fromQuery !== header) return badValue();
  return header ?? fromQuery ?? "UNSIGNED-PAYLOAD";
}

function decodedLength(headers: HeaderMap): number | undefined | VerifyFail {
  const raw = singleHeader(headers, "x-amz-decoded-content-length");
  if (raw === undefined) return undefined;
  if (raw === "repeated" || !/^\d{1,15}$/.test(raw)) {
    return fail(400, "InvalidArgument", "bad_decoded_length", "Invalid x-amz-decoded-content-length header.");
  }
  return Number(raw);
}

export function resolvePayload(
  auth: ParsedAuth,
  headers: HeaderMap,
  params: Array<[string, string]>,
): PayloadInfo | VerifyFail {
  const value = declaredValue(auth, headers, params);
  if (typeof value !== "string") return value;
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return { mode: "SHA256", canonicalHash: value, contentSha256: value.toLowerCase() };
  }
  if (!NAMED_MODES.has(value)) return badValue();
  const mode = value as PayloadMode;
  if (auth.kind === "presign" && mode.startsWith("STREAMING-AWS4-HMAC")) {
    return fail(400, "InvalidRequest", "presign_streaming", "Signed streaming payloads require header authentication.");
  }
  if (!mode.startsWith("STREAMING-")) return { mode, canonicalHash: value };
  const length = decodedLength(headers);
  if (typeof length === "object") return length;
  return { mode, canonicalHash: value, decodedContentLength: length };
}
