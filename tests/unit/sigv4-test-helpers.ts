// Test-only SigV4 signer and stream helpers. Written independently of gateway/sigv4 (straight
// from the AWS docs) so that tests do not validate the module against itself.
import { createHash, createHmac } from "node:crypto";
import { Readable, Writable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SigV4Request } from "../../gateway/sigv4/index";

export const S3_DOC = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
};
export const EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as the AWS SDKs do it: encodeURIComponent plus !'()*. */
export function awsEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

export function signingKey(secret: string, day: string, region: string, service = "s3"): Buffer {
  return hmac(hmac(hmac(hmac("AWS4" + secret, day), region), service), "aws4_request");
}

export type SignInput = {
  method: string;
  /** Decoded path, e.g. "/bucket/a b.txt"; each segment is encoded like the SDK does. */
  path: string;
  query?: Array<[string, string]>;
  headers: Record<string, string>;
  accessKeyId?: string;
  secret?: string;
  region?: string;
  service?: string;
  date: Date;
  payloadHash: string;
  /** Default: every header given. */
  signedHeaders?: string[];
  /** Send the time in a `Date` header instead of x-amz-date. */
  dateHeader?: boolean;
};

function encodeQuery(query: Array<[string, string]>): string {
  return query.map(([k, v]) => `${awsEscape(k)}=${awsEscape(v)}`).join("&");
}

function canonical(input: SignInput, query: Array<[string, string]>, signed: string[]): string {
  const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const path = input.path.split("/").map(awsEscape).join("/");
  const pairs = query.map(([k, v]) => [awsEscape(k), awsEscape(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const sortedQuery = pairs.map(([k, v]) => `${k}=${v}`).join("&");
  const headerLines = signed.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, " ")}\n`).join("");
  return [input.method, path, sortedQuery, headerLines, signed.join(";"), input.payloadHash].join("\n");
}

function signature(input: SignInput, creq: string): { signature: string; scope: string } {
  const day = amzDate(input.date).slice(0, 8);
  const region = input.region ?? S3_DOC.region;
  const service = input.service ?? "s3";
  const scope = `${day}/${region}/${service}/aws4_request`;
  const sts = ["AWS4-HMAC-SHA256", amzDate(input.date), scope, sha256(creq)].join("\n");
  const key = signingKey(input.secret ?? S3_DOC.secret, day, region, service);
  return { signature: hmac(key, sts).toString("hex"), scope };
}

/** Header-authenticated request, as node would hand it to the gateway. */
export function signRequest(input: SignInput): SigV4Request & { signature: string } {
  const headers = input.dateHeader
    ? { ...input.headers, date: input.date.toUTCString() }
    : { ...input.headers, "x-amz-date": amzDate(input.date) };
  const full = { ...input, headers };
  const signed = input.signedHeaders ?? Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const { signature: sig, scope } = signature(full, canonical(full, input.query ?? [], signed));
  const authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId ?? S3_DOC.accessKeyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${sig}`;
  const path = input.path.split("/").map(awsEscape).join("/");
  const query = encodeQuery(input.query ?? []);
  return { method: input.method, url: query ? `${path}?${query}` : path, headers: { ...headers, authorization }, signature: sig };
}

/** Presigned URL (query auth) for the given request; payload hash defaults to UNSIGNED-PAYLOAD. */
export function presignRequest(input: Omit<SignInput, "payloadHash"> & { expires: number; payloadHash?: string }): SigV4Request {
  const day = amzDate(input.date).slice(0, 8);
  const scope = `${day}/${input.region ?? S3_DOC.region}/${input.service ?? "s3"}/aws4_request`;
  const signed = input.signedHeaders ?? Object.keys(input.headers).map((h) => h.toLowerCase()).sort();
  const query: Array<[string, string]> = [
    ...(input.query ?? []),
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
    ["X-Amz-Credential", `${input.accessKeyId ?? S3_DOC.accessKeyId}/${scope}`],
    ["X-Amz-Date", amzDate(input.date)],
    ["X-Amz-Expires", String(input.expires)],
    ["X-Amz-SignedHeaders", signed.join(";")],
  ];
  const full = { ...input, payloadHash: input.payloadHash ?? "UNSIGNED-PAYLOAD" };
  const { signature: sig } = signature(full, canonical(full, query, signed));
  const path = input.path.split("/").map(awsEscape).join("/");
  return { method: input.method, url: `${path}?${encodeQuery([...query, ["X-Amz-Signature", sig]])}`, headers: { ...input.headers } };
}

export type ChunkContext = { key: Buffer; seed: string; date: string; scope: string };

/** aws-chunked body for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]. */
export function encodeSignedChunks(chunks: Buffer[], ctx: ChunkContext, trailers?: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  let prev = ctx.seed;
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    const sts = ["AWS4-HMAC-SHA256-PAYLOAD", ctx.date, ctx.scope, prev, EMPTY_SHA, sha256(chunk)].join("\n");
    prev = hmac(ctx.key, sts).toString("hex");
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${prev}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from("\r\n"));
  }
  if (trailers) {
    const text = [...trailers].sort().map(([n, v]) => `${n}:${v}\n`).join("");
    const sts = ["AWS4-HMAC-SHA256-TRAILER", ctx.date, ctx.scope, prev, sha256(text)].join("\n");
    for (const [n, v] of trailers) parts.push(Buffer.from(`${n}:${v}\r\n`));
    parts.push(Buffer.from(`x-amz-trailer-signature:${hmac(ctx.key, sts).toString("hex")}\r\n`));
  }
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

/** aws-chunked body for STREAMING-UNSIGNED-PAYLOAD-TRAILER, as the AWS SDK v3 sends it. */
export function encodeUnsignedChunks(chunks: Buffer[], trailers: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  parts.push(Buffer.from("0\r\n"));
  for (const [n, v] of trailers) parts.push(Buffer.from(`${n}:${v}\r\n`));
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

export type StreamResult = { output: Buffer; error?: Error & { code?: string; status?: number }; ended: boolean };

/** Feeds `pieces` through the transform(s); never rejects, reports the error instead. */
export async function runStream(transforms: Transform[], pieces: Buffer[]): Promise<StreamResult> {
  const out: Buffer[] = [];
  let ended = false;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) { out.push(chunk); cb(); },
    final(cb) { ended = true; cb(); },
  });
  try {
    await pipeline([Readable.from(pieces.filter((p) => p.length > 0)), ...transforms, sink]);
    return { output: Buffer.concat(out), ended };
  } catch (error) {
    return { output: Buffer.concat(out), error: error as StreamResult["error"], ended };
  }
}

/** Every way of cutting `data` in two, plus byte-by-byte. */
export function splits(data: Buffer): Buffer[][] {
  const cuts: Buffer[][] = [];
  for (let i = 0; i <= data.length; i++) cuts.push([data.subarray(0, i), data.subarray(i)]);
  cuts.push([...data].map((b) => Buffer.from([b])));
  return cuts;
}
