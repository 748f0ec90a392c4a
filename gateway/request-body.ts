import type { IncomingMessage } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { checksumsFromHeaders, createChunkedDecoder, createPayloadVerifier, type VerifyOk } from "./sigv4";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The decoded, verified request body as a stream: aws-chunked framing removed (every chunk
 * signature checked in the signed modes) and the payload hash, Content-MD5 and
 * x-amz-checksum-* values checked as data flows. A mismatch errors the stream before its end,
 * so the storage backend discards the upload instead of committing it.
 */
export function verifiedBody(req: IncomingMessage, auth: VerifyOk<unknown>): Readable {
  const headers = req.headersDistinct;
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
  const done = (err: NodeJS.ErrnoException | null) => {
    if (err && !verifier.destroyed) verifier.destroy(err);
  };
  if (decoder) pipeline(req, decoder, verifier, done);
  else pipeline(req, verifier, done);
  return verifier;
}
