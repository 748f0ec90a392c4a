// Runs the AWS SigV4 test suite (/work/shared/testdata/aws-sig-v4-test-suite) against the
// canonicalisation and signature code of gateway/sigv4.
//
// The suite signs for service "service" without x-amz-content-sha256, so its cases cannot pass
// verifyRequest's S3 policy (service must be s3; header auth needs x-amz-content-sha256). Each
// case therefore checks, with the module's own building blocks: the parsed Authorization header,
// the canonical request (.creq), the string-to-sign (.sts) and the signature check used by
// verifyRequest (checkRequestSignature), including a negative check with a wrong secret.
//
// Not applicable to S3, skipped explicitly below: S3 does NOT normalise the URI path (the suite's
// normalize-path/readme says so itself), so these cases expect a canonical path S3 never computes:
//   normalize-path/get-relative            "/example/.."             -> suite "/" ; S3 keeps "/example/.."
//   normalize-path/get-relative-relative   "/example1/example2/../.." -> suite "/" ; S3 keeps it
//   normalize-path/get-slash               "//"                       -> suite "/" ; S3 keeps "//"
//   normalize-path/get-slash-dot-slash     "/./"                      -> suite "/" ; S3 keeps "/./"
//   normalize-path/get-slash-pointless-dot "/./example"               -> suite "/example" ; S3 keeps it
//   normalize-path/get-slashes             "//example//"              -> suite "/example/" ; S3 keeps it
// normalize-path/get-space IS run: "/example space/" -> "/example%20space/" involves no normalisation.
// Harness notes: obs-fold continuation lines (get-header-value-multiline) are given as extra values
// of the header (node itself rejects obs-fold with 400); repeated headers are passed as arrays, as
// node's req.headersDistinct does. post-sts-header-* pass here, but verifyRequest refuses session
// tokens (InvalidToken), see sigv4-verify.test.ts.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalizePath,
  checkRequestSignature,
  normalizeHeaders,
  parseHeaderAuth,
  verifyRequest,
  type ParsedAuth,
  type SigV4Request,
} from "../../gateway/sigv4/index";
import { sha256 } from "./sigv4-test-helpers";

const ROOT = "/work/shared/testdata/aws-sig-v4-test-suite";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

const NOT_APPLICABLE: Record<string, string> = {
  "normalize-path/get-relative": "S3 does not remove dot-segments ('..')",
  "normalize-path/get-relative-relative": "S3 does not remove dot-segments ('..')",
  "normalize-path/get-slash": "S3 does not merge consecutive slashes",
  "normalize-path/get-slash-dot-slash": "S3 does not remove dot-segments ('.')",
  "normalize-path/get-slash-pointless-dot": "S3 does not remove dot-segments ('.')",
  "normalize-path/get-slashes": "S3 does not merge consecutive slashes",
};

function findCases(dir: string, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (readdirSync(full).some((f) => f === `${entry}.req`)) found.push(prefix + entry);
    else found.push(...findCases(full, `${prefix}${entry}/`));
  }
  return found;
}

type SuiteCase = { req: SigV4Request; body: string; authz: string; creq: string; sts: string };

/** Parses a raw .sreq into what node would give the gateway (OWS trimmed, repeats as arrays). */
function parseRawRequest(raw: string): { req: SigV4Request; body: string } {
  const blank = raw.indexOf("\n\n");
  const head = blank < 0 ? raw : raw.slice(0, blank);
  const body = blank < 0 ? "" : raw.slice(blank + 2);
  const [requestLine, ...lines] = head.split("\n");
  const [method, ...rest] = requestLine.split(" ");
  const url = rest.slice(0, -1).join(" "); // the target may itself contain a space (get-space)
  const headers: Record<string, string[]> = {};
  let last = "";
  for (const line of lines) {
    if (/^[ \t]/.test(line)) headers[last].push(line.trim()); // obs-fold: extra value
    else {
      last = line.slice(0, line.indexOf(":")).toLowerCase();
      (headers[last] ??= []).push(line.slice(line.indexOf(":") + 1).trim());
    }
  }
  return { req: { method, url, headers }, body };
}

function loadCase(name: string): SuiteCase {
  const base = join(ROOT, name, name.split("/").pop() as string);
  const read = (ext: string) => readFileSync(`${base}.${ext}`, "utf8");
  return { ...parseRawRequest(read("sreq")), authz: read("authz").trim(), creq: read("creq"), sts: read("sts") };
}

function parse(c: SuiteCase): ParsedAuth {
  const auth = parseHeaderAuth(c.authz, normalizeHeaders(c.req.headers));
  if ("ok" in auth) throw new Error(`unexpected parse failure: ${auth.message}`);
  return auth;
}

const cases = findCases(ROOT);

describe("AWS SigV4 test suite", () => {
  it("finds every case in the suite (guards against silently dropping some)", () => {
    expect(cases.length).toBe(31); // 22 top-level + 7 normalize-path + 2 post-sts-token
    for (const skipped of Object.keys(NOT_APPLICABLE)) expect(cases).toContain(skipped);
  });

  for (const name of cases) {
    if (NOT_APPLICABLE[name]) {
      it.skip(`${name} — not applicable to S3: ${NOT_APPLICABLE[name]}`, () => {});
      continue;
    }
    it(name, () => {
      const c = loadCase(name);
      const auth = parse(c);
      expect(auth).toMatchObject({ accessKeyId: "AKIDEXAMPLE", region: "us-east-1", service: "service" });
      const payloadHash = sha256(c.body);
      const creq = buildCanonicalRequest({
        method: c.req.method,
        url: c.req.url,
        headers: normalizeHeaders(c.req.headers),
        signedHeaders: auth.signedHeaders,
        payloadHash,
      });
      expect(creq).toBe(c.creq);
      expect(buildStringToSign(auth.amzDate, auth.scope, creq as string)).toBe(c.sts);
      expect(checkRequestSignature(c.req, auth, SECRET, payloadHash).match).toBe(true);
      expect(checkRequestSignature(c.req, auth, SECRET + "x", payloadHash).match).toBe(false);
    });
  }
});

describe("normalize-path cases under S3 rules", () => {
  for (const name of Object.keys(NOT_APPLICABLE)) {
    it(`${name}: canonical path is the path as sent, so the suite signature is refused`, () => {
      const c = loadCase(name);
      const path = c.req.url;
      expect(canonicalizePath(path)).toBe(path); // only unreserved chars and '/': unchanged
      expect(checkRequestSignature(c.req, parse(c), SECRET, sha256(c.body)).match).toBe(false);
    });
  }
});

describe("suite requests through verifyRequest (S3 policy)", () => {
  it("refuses the non-s3 service scope with AuthorizationHeaderMalformed", async () => {
    const c = loadCase("get-vanilla");
    const lookup = async () => ({ secret: SECRET, region: "us-east-1" });
    const result = await verifyRequest(c.req, { now: new Date("2015-08-30T12:36:00Z"), lookup });
    expect(result).toMatchObject({ ok: false, status: 400, code: "AuthorizationHeaderMalformed", reason: "wrong_service" });
  });
});
