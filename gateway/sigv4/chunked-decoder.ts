import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { EMPTY_SHA256, signaturesEqual } from "./canonical-request";
import { signChunk, signTrailer } from "./chunk-signature";
import { MSG, PayloadError } from "./errors";
import type { ChunkSigning, StreamingMode } from "./types";

// Streaming decoder for `Content-Encoding: aws-chunked` bodies. Memory is bounded: chunk data is
// never buffered, only header/trailer lines (capped by maxLineBytes, copied out of the input)
// and one held-back data slice. That slice is released only in _flush, after every chunk
// signature, the trailer signature and the decoded length have been verified, so a consumer
// never receives the complete body (nor 'end') unless the whole body checked out.

export type ChunkedDecoderOptions = {
  mode: StreamingMode;
  /** Required for the two signed modes (VerifyOk.chunkSigning). */
  chunkSigning?: ChunkSigning;
  /** x-amz-decoded-content-length, when sent. */
  decodedContentLength?: number;
  /** Lower-case trailer names announced in x-amz-trailer; each must arrive. */
  expectedTrailers?: string[];
  maxLineBytes?: number;
  maxTrailers?: number;
  /** Smallest allowed non-final chunk. Default 8192 for signed modes (S3's rule), else 0. */
  minChunkSize?: number;
};

type State = "size" | "data" | "data-end" | "trailer" | "done";

const SIGNED_SIZE_RE = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_SIZE_RE = /^([0-9a-fA-F]{1,16})$/;
const TRAILER_NAME_RE = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

const framing = (detail: string) => new PayloadError(400, "InvalidRequest", `Malformed aws-chunked body: ${detail}`);
const badTrailer = (detail: string) => new PayloadError(400, "MalformedTrailerError", `The request contained trailing data that was not well-formed: ${detail}`);
const badSignature = () => new PayloadError(403, "SignatureDoesNotMatch", MSG.signatureMismatch);
const lengthMismatch = () =>
  new PayloadError(400, "IncompleteBody", "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");

export class ChunkedDecoder extends Transform {
  /** Trailers received (lower-case names, x-amz-trailer-signature excluded); complete after 'end'. */
  readonly trailers: Record<string, string> = Object.create(null);
  decodedLength = 0;
  private readonly opts: Required<Omit<ChunkedDecoderOptions, "chunkSigning" | "decodedContentLength">> &
    Pick<ChunkedDecoderOptions, "chunkSigning" | "decodedContentLength">;
  private state: State = "size";
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private chunkHash?: Hash;
  private chunkSignature = "";
  private previousSignature = "";
  private lastChunkSize = -1;
  private trailerList: Array<[string, string]> = [];
  private trailerSignature?: string;
  private held?: Buffer;
  /** Whether chunk headers carry signatures: decided by the verified mode alone, never by the input. */
  private readonly signed: boolean;

  constructor(options: ChunkedDecoderOptions) {
    super();
    const signed = options.mode !== "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    if (signed && !options.chunkSigning) throw new TypeError("chunkSigning is required for signed streaming modes");
    this.signed = signed;
    const expectedTrailers = (options.expectedTrailers ?? []).map((name) => name.trim().toLowerCase());
    this.opts = { maxLineBytes: 1024, maxTrailers: 16, minChunkSize: signed ? 8192 : 0, ...options, expectedTrailers };
    this.previousSignature = options.chunkSigning?.seedSignature ?? "";
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== "done") return callback(new PayloadError(400, "IncompleteBody", "The request body terminated unexpectedly"));
    const expected = this.opts.decodedContentLength;
    if (expected !== undefined && this.decodedLength !== expected) return callback(lengthMismatch());
    if (this.held) this.push(this.held);
    this.held = undefined;
    callback();
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (this.state === "data") i = this.readData(buf, i);
      else if (this.state === "data-end") i = this.readDataEnd(buf, i);
      else if (this.state === "done") throw framing("unexpected data after the final chunk");
      else i = this.readLine(buf, i);
    }
  }

  /** Accumulates one CRLF-terminated line; pieces are copied so no large input buffer is retained. */
  private readLine(buf: Buffer, start: number): number {
    const newline = buf.indexOf(0x0a, start);
    const end = newline < 0 ? buf.length : newline + 1;
    this.lineLength += end - start;
    if (this.lineLength > this.opts.maxLineBytes) throw framing("chunk header or trailer line too long");
    this.line.push(Buffer.from(buf.subarray(start, end)));
    if (newline < 0) return end;
    const raw = Buffer.concat(this.line).toString("latin1");
    this.line = [];
    this.lineLength = 0;
    if (!raw.endsWith("\r\n")) throw framing("line not terminated by CRLF");
    if (this.state === "size") this.onSizeLine(raw.slice(0, -2));
    else this.onTrailerLine(raw.slice(0, -2));
    return end;
  }

  private onSizeLine(text: string): void {
    const match = (this.signed ? SIGNED_SIZE_RE : UNSIGNED_SIZE_RE).exec(text);
    if (!match) throw framing("invalid chunk header");
    const size = parseInt(match[1], 16);
    if (!Number.isSafeInteger(size)) throw new PayloadError(400, "InvalidChunkSizeError", "Chunk size is too large");
    if (size > 0 && this.lastChunkSize >= 0 && this.lastChunkSize < this.opts.minChunkSize) {
      throw new PayloadError(400, "InvalidChunkSizeError", `Only the last chunk is allowed to have a size less than ${this.opts.minChunkSize} bytes`);
    }
    const expected = this.opts.decodedContentLength;
    if (expected !== undefined && this.decodedLength + size > expected) throw lengthMismatch();
    this.chunkSignature = match[2] ?? "";
    this.lastChunkSize = size;
    if (size === 0) {
      this.verifyChunk(EMPTY_SHA256); // the final, empty chunk is signed too
      this.state = "trailer";
      return;
    }
    this.remaining = size;
    this.chunkHash = this.signed ? createHash("sha256") : undefined;
    this.state = "data";
  }

  private readData(buf: Buffer, start: number): number {
    const n = Math.min(this.remaining, buf.length - start);
    const slice = buf.subarray(start, start + n);
    this.chunkHash?.update(slice);
    this.remaining -= n;
    this.decodedLength += n;
    this.forward(slice);
    if (this.remaining === 0) {
      if (this.chunkHash) this.verifyChunk(this.chunkHash.digest("hex"));
      this.state = "data-end";
      this.crlfSeen = 0;
    }
    return start + n;
  }

  private readDataEnd(buf: Buffer, start: number): number {
    if (buf[start] !== (this.crlfSeen === 0 ? 0x0d : 0x0a)) throw framing("chunk data not followed by CRLF");
    if (++this.crlfSeen === 2) this.state = "size";
    return start + 1;
  }

  /** Hold back the most recent slice so the last bytes only flow once everything is verified. */
  private forward(slice: Buffer): void {
    if (this.held) this.push(this.held);
    this.held = slice;
  }

  private verifyChunk(chunkSha256Hex: string): void {
    if (!this.signed) return;
    const expected = signChunk(this.opts.chunkSigning as ChunkSigning, this.previousSignature, chunkSha256Hex);
    if (!signaturesEqual(expected, this.chunkSignature)) throw badSignature();
    this.previousSignature = this.chunkSignature;
  }

  private onTrailerLine(text: string): void {
    if (text === "") return this.finishTrailers();
    if (this.opts.mode === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") throw badTrailer("trailers are not allowed in this mode");
    const colon = text.indexOf(":");
    const name = text.slice(0, Math.max(colon, 0)).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (colon <= 0 || !TRAILER_NAME_RE.test(name)) throw badTrailer("invalid trailer line");
    if (name === "x-amz-trailer-signature" && this.signed) {
      if (this.trailerSignature !== undefined || !/^[0-9a-f]{64}$/.test(value)) throw badTrailer("invalid trailer signature");
      this.trailerSignature = value;
      return;
    }
    if (name in this.trailers || this.trailerList.length >= this.opts.maxTrailers) throw badTrailer("repeated or too many trailers");
    this.trailers[name] = value;
    this.trailerList.push([name, value]);
  }

  private finishTrailers(): void {
    if (this.opts.mode === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
      if (this.trailerSignature === undefined) throw badTrailer("missing x-amz-trailer-signature");
      const expected = signTrailer(this.opts.chunkSigning as ChunkSigning, this.previousSignature, this.trailerList);
      if (!signaturesEqual(expected, this.trailerSignature)) throw badSignature();
    }
    const missing = this.opts.expectedTrailers.filter((name) => !(name in this.trailers));
    if (missing.length > 0) throw badTrailer("an announced trailer is missing");
    this.state = "done";
  }
}

export function createChunkedDecoder(options: ChunkedDecoderOptions): ChunkedDecoder {
  return new ChunkedDecoder(options);
}
