// A small SigV4 signer and raw HTTP client for the gateway benchmark and the protocol tests:
// requests the AWS SDK would not send as-is (a wrong Content-MD5, a skewed clock, a lying
// x-amz-content-sha256) and a hot loop that must not pay for the SDK's middleware stack.
// Signing uses @smithy/signature-v4 (the AWS SDK's own signer) when it is installed; it is a
// transitive dependency, so a compact implementation of the same algorithm is the fallback.
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";

export type SigV4Credentials = { accessKeyId: string; secret: string; region: string };

export type SignInput = {
  method: string;
  /** Absolute URL; the path must already be percent-encoded as it goes on the wire. */
  url: string;
  headers?: Record<string, string>;
  /** Buffer/string bodies are hashed; leave it out for streams and pass payloadHash. */
  body?: Buffer | string;
  /** x-amz-content-sha256 to sign; defaults to the body's SHA-256 (or UNSIGNED-PAYLOAD without body). */
  payloadHash?: string;
  /** Signing time (default now): lets tests sign with a skewed clock. */
  date?: Date;
};

/** Signs `input`; returns the URL to request (query re-encoded as signed) and every header to send. */
export type Signer = (input: SignInput) => Promise<{ url: string; headers: Record<string, string> }>;

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus !'()*. */
const awsEscape = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
const amzDate = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");

/** The hash constructor @smithy/signature-v4 expects, on node:crypto (HMAC when given a key). */
class NodeSha256 {
  private readonly h;
  constructor(secret?: Uint8Array | string) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", Buffer.from(secret as Uint8Array));
  }
  update(data: Uint8Array | string) {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
}

type SmithySigner = { sign(req: unknown, opts?: { signingDate?: Date }): Promise<{ headers: Record<string, string> }> };
type SmithyModule = { SignatureV4: new (init: Record<string, unknown>) => SmithySigner };

async function loadSmithy(): Promise<SmithyModule | null> {
  const specifier = "@smithy/signature-v4"; // a variable: the package is optional for tsc too
  return (await import(specifier).catch(() => null)) as SmithyModule | null;
}

function prepare(input: SignInput) {
  const u = new URL(input.url);
  const query = [...u.searchParams.entries()];
  const wireQuery = query.map(([k, v]) => `${awsEscape(k)}=${awsEscape(v)}`).join("&");
  const payloadHash = input.payloadHash ?? (input.body === undefined ? "UNSIGNED-PAYLOAD" : sha256Hex(input.body));
  const headers: Record<string, string> = { host: u.host, "x-amz-content-sha256": payloadHash };
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  const url = `${u.protocol}//${u.host}${u.pathname}${wireQuery ? `?${wireQuery}` : ""}`;
  return { u, query, headers, payloadHash, url };
}

/** The signer for one key: @smithy/signature-v4 when present, else the built-in one. */
export async function createSigner(creds: SigV4Credentials, opts: { builtin?: boolean } = {}): Promise<Signer> {
  const smithy = opts.builtin ? null : await loadSmithy();
  if (!smithy) return (input) => Promise.resolve(signBuiltin(creds, input));
  const signer = new smithy.SignatureV4({
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret },
    region: creds.region, service: "s3", sha256: NodeSha256, uriEscapePath: false, applyChecksum: false,
  });
  return async (input) => {
    const p = prepare(input);
    const signed = await signer.sign(
      {
        method: input.method, protocol: p.u.protocol, hostname: p.u.hostname, port: p.u.port ? Number(p.u.port) : undefined,
        path: p.u.pathname, query: Object.fromEntries(p.query), headers: p.headers,
      },
      { signingDate: input.date },
    );
    return { url: p.url, headers: signed.headers };
  };
}

/** The same algorithm by hand (AWS "Signature Version 4 signing process"): every given header is signed. */
function signBuiltin(creds: SigV4Credentials, input: SignInput) {
  const p = prepare(input);
  const date = input.date ?? new Date();
  const headers = { ...p.headers, "x-amz-date": amzDate(date) };
  const names = Object.keys(headers).sort();
  const canonicalQuery = p.query.map(([k, v]) => [awsEscape(k), awsEscape(v)]).sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join("&");
  const canonical = [
    input.method, p.u.pathname, canonicalQuery,
    names.map((n) => `${n}:${headers[n as keyof typeof headers].trim().replace(/\s+/g, " ")}\n`).join(""),
    names.join(";"), p.payloadHash,
  ].join("\n");
  const day = amzDate(date).slice(0, 8);
  const scope = `${day}/${creds.region}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate(date), scope, sha256Hex(canonical)].join("\n");
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secret}`, day), creds.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return { url: p.url, headers: { ...headers, authorization } };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** One HTTP request, body buffered (callers keep bodies small) unless `discardBody`. */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Readable; agent?: http.Agent; discardBody?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent: init.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => (init.discardBody ? undefined : chunks.push(c)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (init.body instanceof Readable) init.body.pipe(req);
    else req.end(init.body);
  });
}

/** Signs and sends: the common case of the protocol tests. */
export async function signedSend(signer: Signer, input: SignInput & { agent?: http.Agent; sendBody?: Buffer | string }): Promise<RawResponse> {
  const { url, headers } = await signer(input);
  const body = input.sendBody ?? input.body;
  if (body !== undefined && headers["content-length"] === undefined) headers["content-length"] = String(Buffer.byteLength(body));
  return send(url, { method: input.method, headers, body, agent: input.agent });
}
