import type { IncomingMessage } from "node:http";
import { Readable, finished } from "node:stream";
import { CHECKSUM_ALGORITHMS, checksumsFromHeaders, createChunkedDecoder, createPayloadVerifier, type VerifyOk } from "./sigv4";
import { EMPTY_SHA256 } from "./sigv4/canonical-request";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The decoded, verified request body as a stream: aws-chunked framing removed (every chunk
 * signature checked in the signed modes) and the payload hash, Content-MD5 and
 * x-amz-checksum-* values checked as data flows. A mismatch errors the stream before its end,
 * so the storage backend discards the upload instead of committing it.
 *
 * Throws a PayloadError (a 400 S3 error) at once for malformed Content-MD5 / checksum headers.
 * Every later failure (corrupt framing, bad signature or digest, client abort, idle timeout)
 * errors the returned stream only: the request itself is never destroyed here, so the handler
 * can still answer with the S3 error (the server then closes the connection, see
 * ops/respond.ts), and nothing is left to throw outside the request's own handling.
 */
export function verifiedBody(req: IncomingMessage, auth: VerifyOk<unknown>): Readable {
  const headers = req.headersDistinct;
  if (nothingToVerify(headers, auth)) return Readable.from([]);
  const streaming = auth.payload.startsWith("STREAMING-");
  const decoder = streaming
    ? createChunkedDecoder({
        mode: auth.payload as Parameters<typeof createChunkedDecoder>[0]["mode"],
        chunkSigning: auth.chunkSigning,
        decodedContentLength: auth.decodedContentLength,
        expectedTrailers: (one(headers["x-amz-trailer"]) ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean),
      })
    : null;
  const headerChecksums = checksumsFromHeaders(headers);
  const verifier = createPayloadVerifier({
    sha256Hex: auth.payload === "SHA256" ? auth.contentSha256 : undefined,
    contentMd5Base64: one(headers["content-md5"]),
    checksums: decoder ? () => ({ ...headerChecksums, ...checksumsFromHeaders(decoder.trailers) }) : headerChecksums,
  });
  // Operations that never read the body must not turn its failure into an unhandled 'error'.
  verifier.on("error", () => {});
  const fail = (err: Error) => {
    if (!verifier.destroyed) verifier.destroy(err);
  };
  // A client that goes away mid-body ends the request prematurely.
  finished(req, { writable: false }, (err) => {
    if (err) fail(err);
  });
  if (decoder) {
    decoder.on("error", (err) => {
      req.unpipe(decoder);
      fail(err);
    });
    req.pipe(decoder).pipe(verifier);
  } else {
    req.pipe(verifier);
  }
  return verifier;
}

const CHECKSUM_HEADERS = CHECKSUM_ALGORITHMS.map((algorithm) => `x-amz-checksum-${algorithm}`);

/**
 * A request without a body (GET, HEAD, DELETE...) whose headers announce nothing but an empty or
 * unsigned payload: the verifier would hash zero bytes and compare them with nothing, so it is
 * not built. Any Content-MD5, checksum header, non-empty declared hash, length or transfer
 * coding takes the general path (which then also reports a mismatch).
 */
function nothingToVerify(headers: IncomingMessage["headersDistinct"], auth: VerifyOk<unknown>): boolean {
  if (auth.payload !== "UNSIGNED-PAYLOAD" && !(auth.payload === "SHA256" && auth.contentSha256 === EMPTY_SHA256)) return false;
  const length = headers["content-length"];
  if (length !== undefined && !(length.length === 1 && length[0] === "0")) return false;
  if (headers["transfer-encoding"] !== undefined || headers["content-md5"] !== undefined) return false;
  return CHECKSUM_HEADERS.every((name) => headers[name] === undefined);
}
