// Request builders for the gateway fuzz tests: correctly signed requests (so the malformed
// part is the only fault) sent over a raw socket, and aws-chunked bodies to corrupt.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { createSigner } from "../bench/sign";
import { amzDate, encodeSignedChunks, encodeUnsignedChunks, signingKey } from "../unit/sigv4-test-helpers";
import { type RawAnswer, rawRequest } from "./gateway-process";

export type Creds = { accessKeyId: string; secret: string };

const crlf = (headers: Record<string, string>) => Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");

/** Signs method + path (as on the wire) + headers; `extra` headers are added unsigned. */
export async function signedHead(port: number, creds: Creds, method: string, path: string, signedHeaders: Record<string, string>, payloadHash: string, extra: Record<string, string> = {}) {
  const signer = await createSigner({ ...creds, region: "local" }, { builtin: true });
  const { url, headers } = await signer({ method, url: `http://127.0.0.1:${port}${path}`, headers: signedHeaders, payloadHash });
  const u = new URL(url);
  const authorization = headers.authorization;
  const head = `${method} ${u.pathname}${u.search} HTTP/1.1\r\n${crlf({ ...headers, ...extra })}\r\n`;
  return { head, signature: /Signature=(\w+)/.exec(authorization)![1], amzDate: headers["x-amz-date"] };
}

/** A PUT with a SHA256-signed body, sent as given (or `body` replaced by `sendBody`). */
export async function putObject(port: number, creds: Creds, path: string, body: Buffer, extra: Record<string, string> = {}, opts: { sendBody?: Buffer[]; abortAfterMs?: number } = {}): Promise<RawAnswer> {
  const hash = createHash("sha256").update(body).digest("hex");
  // x-amz-* headers must be signed; the others are sent as given, unsigned.
  const signed = Object.fromEntries(Object.entries(extra).filter(([k]) => k.startsWith("x-amz-")));
  const unsigned = Object.fromEntries(Object.entries(extra).filter(([k]) => !k.startsWith("x-amz-")));
  const { head } = await signedHead(port, creds, "PUT", path, signed, hash, { "content-length": String(body.length), ...unsigned });
  return rawRequest(port, head, opts.sendBody ?? [body], { abortAfterMs: opts.abortAfterMs });
}

export type ChunkedMode = "signed" | "signed-trailer" | "unsigned-trailer";

/**
 * An aws-chunked PUT of two chunks (8 KiB + 100 bytes), its encoded body passed through
 * `corrupt` (latin1 text in, text out) before sending. Content-Length is the corrupted length.
 */
export async function chunkedPut(port: number, creds: Creds, path: string, mode: ChunkedMode, corrupt: (body: string) => string, opts: { decodedLength?: number; truncate?: boolean } = {}): Promise<RawAnswer> {
  const chunks = [Buffer.alloc(8192, 0x61), Buffer.alloc(100, 0x62)];
  const data = Buffer.concat(chunks);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data));
  const trailers: Array<[string, string]> = [["x-amz-checksum-crc32", crc.toString("base64")]];
  const payload = { signed: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "signed-trailer": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "unsigned-trailer": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }[mode];
  const signed: Record<string, string> = { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": String(opts.decodedLength ?? data.length) };
  if (mode !== "signed") signed["x-amz-trailer"] = "x-amz-checksum-crc32";
  const { head, signature, amzDate: date } = await signedHead(port, creds, "PUT", path, signed, payload);
  const day = date.slice(0, 8);
  const ctx = { key: signingKey(creds.secret, day, "local"), seed: signature, date, scope: `${day}/local/s3/aws4_request` };
  const encoded = mode === "unsigned-trailer" ? encodeUnsignedChunks(chunks, trailers) : encodeSignedChunks(chunks, ctx, mode === "signed-trailer" ? trailers : undefined);
  const body = Buffer.from(corrupt(encoded.toString("latin1")), "latin1");
  // Content-Length is sent unsigned so that the corruption may change it.
  const length = opts.truncate ? body.length + 500 : body.length;
  return rawRequest(port, head.replace(/\r\n\r\n$/, `\r\ncontent-length: ${length}\r\n\r\n`), [body]);
}

/** A request signed with a wrong signature: no secret needed, only a known access key id. */
export function bogusSigned(port: number, accessKeyId: string, method: string, path: string, extraHeaders = ""): Promise<RawAnswer> {
  const date = amzDate(new Date());
  const auth = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/local/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"0".repeat(64)}`;
  const head = `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-amz-date: ${date}\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\nauthorization: ${auth}\r\n${extraHeaders}content-length: 0\r\n\r\n`;
  return rawRequest(port, head);
}

/** A signed POST ?delete with `xml` as its body. */
export async function deleteObjects(port: number, creds: Creds, bucket: string, xml: Buffer): Promise<RawAnswer> {
  const hash = createHash("sha256").update(xml).digest("hex");
  const { head } = await signedHead(port, creds, "POST", `/${bucket}?delete=`, {}, hash, { "content-length": String(xml.length) });
  return rawRequest(port, head, [xml]);
}

export const deleteXml = (keys: string[]) =>
  Buffer.from(`<Delete>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join("")}</Delete>`);
