// aws-chunked decoder: bodies are produced by the independent encoder in sigv4-test-helpers and the
// seed comes from a request verified by verifyRequest.
import { describe, expect, it } from "vitest";
import {
  checksumsFromHeaders,
  createChunkedDecoder,
  createPayloadVerifier,
  verifyRequest,
  type ChunkSigning,
  type StreamingMode,
} from "../../gateway/sigv4/index";
import {
  S3_DOC, amzDate, encodeSignedChunks, encodeUnsignedChunks, runStream, signRequest, signingKey, splits, type ChunkContext,
} from "./sigv4-test-helpers";

const NOW = new Date("2024-06-01T10:00:00Z");
const BODY = Buffer.from("The quick brown fox jumps over the lazy dog!");
const PIECES = [BODY.subarray(0, 17), BODY.subarray(17, 34), BODY.subarray(34)];
const CRC32_BODY = "wS84eA=="; // CRC32 of BODY, re-checked with zlib below
const lookup = async () => ({ secret: S3_DOC.secret, region: "us-east-1" });

async function seed(mode: StreamingMode): Promise<{ signing: ChunkSigning; ctx: ChunkContext }> {
  const req = signRequest({
    method: "PUT", path: "/bucket/fox.txt", date: NOW, payloadHash: mode,
    headers: { host: "gw.example.com", "x-amz-content-sha256": mode, "content-encoding": "aws-chunked" },
  });
  const result = await verifyRequest(req, { now: NOW, lookup });
  if (!result.ok || !result.chunkSigning) throw new Error("seed request did not verify");
  const ctx = { key: signingKey(S3_DOC.secret, "20240601", "us-east-1"), seed: req.signature, date: amzDate(NOW), scope: "20240601/us-east-1/s3/aws4_request" };
  return { signing: result.chunkSigning, ctx };
}

const SIGNED: StreamingMode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
const SIGNED_TRAILER: StreamingMode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
const UNSIGNED: StreamingMode = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
const TRAILERS: Array<[string, string]> = [["x-amz-checksum-crc32", CRC32_BODY]];

async function fixture(mode: StreamingMode) {
  if (mode === UNSIGNED) return { wire: encodeUnsignedChunks(PIECES, TRAILERS), signing: undefined };
  const { signing, ctx } = await seed(mode);
  return { wire: encodeSignedChunks(PIECES, ctx, mode === SIGNED ? undefined : TRAILERS), signing };
}

const decoderFor = (mode: StreamingMode, signing?: ChunkSigning, extra = {}) =>
  createChunkedDecoder({ mode, chunkSigning: signing, minChunkSize: 0, decodedContentLength: BODY.length, ...extra });

describe.each([SIGNED, SIGNED_TRAILER, UNSIGNED])("%s", (mode) => {
  it("decodes correctly for every split point of the input and byte by byte", async () => {
    const { wire, signing } = await fixture(mode);
    for (const pieces of splits(wire)) {
      const decoder = decoderFor(mode, signing);
      const result = await runStream([decoder], pieces);
      expect(result.error).toBeUndefined();
      expect(result.output.equals(BODY)).toBe(true);
      expect(decoder.decodedLength).toBe(BODY.length);
      if (mode !== SIGNED) expect({ ...decoder.trailers }).toEqual({ "x-amz-checksum-crc32": CRC32_BODY });
    }
  });

  it("fails on a truncated body at every length, never emitting the whole body", async () => {
    const { wire, signing } = await fixture(mode);
    for (let cut = 0; cut < wire.length; cut++) {
      const result = await runStream([decoderFor(mode, signing, { decodedContentLength: undefined })], [wire.subarray(0, cut)]);
      expect(result.error, `cut at ${cut}`).toMatchObject({ code: "IncompleteBody", status: 400 });
      expect(result.output.length).toBeLessThan(BODY.length);
      expect(result.ended).toBe(false);
    }
  });

  it("refuses data after the terminating empty line", async () => {
    const { wire, signing } = await fixture(mode);
    const result = await runStream([decoderFor(mode, signing)], [wire, Buffer.from("x")]);
    expect(result.error).toMatchObject({ code: "InvalidRequest" });
  });

  it("checks x-amz-decoded-content-length", async () => {
    const { wire, signing } = await fixture(mode);
    for (const length of [BODY.length - 1, BODY.length + 1]) {
      const result = await runStream([decoderFor(mode, signing, { decodedContentLength: length })], [wire]);
      expect(result.error).toMatchObject({ code: "IncompleteBody" });
      expect(result.ended).toBe(false);
    }
  });
});

describe("signed chunks", () => {
  it("refuses tampered chunk data, with the body held back", async () => {
    for (const mode of [SIGNED, SIGNED_TRAILER]) {
      const { wire, signing } = await fixture(mode);
      const at = wire.indexOf("lazy");
      const tampered = Buffer.from(wire);
      tampered[at] = "L".charCodeAt(0);
      const result = await runStream([decoderFor(mode, signing)], [tampered]);
      expect(result.error).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
      expect(result.output.length).toBeLessThan(BODY.length);
    }
  });

  it("refuses a tampered final-chunk signature and reordered chunks", async () => {
    const { wire, signing } = await fixture(SIGNED);
    const text = wire.toString("latin1");
    const finalSig = text.slice(text.lastIndexOf("0;chunk-signature=") + 18, text.lastIndexOf("0;chunk-signature=") + 82);
    const badFinal = Buffer.from(text.replace(finalSig, finalSig.replace(/^./, (c) => (c === "a" ? "b" : "a"))), "latin1");
    const result = await runStream([decoderFor(SIGNED, signing)], [badFinal]);
    expect(result.error).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(result.output.length).toBeLessThan(BODY.length);
    const { ctx } = await seed(SIGNED);
    const swapped = encodeSignedChunks([PIECES[0], PIECES[1], PIECES[2]], ctx).toString("latin1");
    const parts = swapped.split(/(?=[0-9a-f]+;chunk-signature=)/);
    const reordered = Buffer.from([parts[1], parts[0], parts[2], parts[3]].join(""), "latin1");
    expect((await runStream([decoderFor(SIGNED, signing)], [reordered])).error).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses chunks signed with another key", async () => {
    const { ctx, signing } = await seed(SIGNED);
    const wire = encodeSignedChunks(PIECES, { ...ctx, key: signingKey("other-secret", "20240601", "us-east-1") });
    expect((await runStream([decoderFor(SIGNED, signing)], [wire])).error).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("enforces S3's 8192-byte minimum for non-final chunks by default", async () => {
    const { ctx, signing } = await seed(SIGNED);
    const small = encodeSignedChunks([Buffer.alloc(100, 1), Buffer.alloc(100, 2)], ctx);
    const decoder = createChunkedDecoder({ mode: SIGNED, chunkSigning: signing });
    expect((await runStream([decoder], [small])).error).toMatchObject({ code: "InvalidChunkSizeError" });
    const ok = encodeSignedChunks([Buffer.alloc(8192, 1), Buffer.alloc(100, 2)], ctx);
    const good = await runStream([createChunkedDecoder({ mode: SIGNED, chunkSigning: signing })], [ok]);
    expect(good.error).toBeUndefined();
    expect(good.output.length).toBe(8292);
  });

  it("requires and verifies the trailer signature in the -TRAILER mode", async () => {
    const { ctx, signing } = await seed(SIGNED_TRAILER);
    const wire = encodeSignedChunks(PIECES, ctx, TRAILERS).toString("latin1");
    const noSig = Buffer.from(wire.replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ""), "latin1");
    expect((await runStream([decoderFor(SIGNED_TRAILER, signing)], [noSig])).error).toMatchObject({ code: "MalformedTrailerError" });
    const changed = Buffer.from(wire.replace(CRC32_BODY, "AAAAAA=="), "latin1");
    expect((await runStream([decoderFor(SIGNED_TRAILER, signing)], [changed])).error).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses trailers in the plain signed mode", async () => {
    const { ctx, signing } = await seed(SIGNED);
    const wire = encodeSignedChunks(PIECES, ctx).toString("latin1").replace(/\r\n\r\n$/, "\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    expect((await runStream([decoderFor(SIGNED, signing)], [Buffer.from(wire, "latin1")])).error).toMatchObject({ code: "MalformedTrailerError" });
  });

  it("requires chunkSigning for signed modes", () => {
    expect(() => createChunkedDecoder({ mode: SIGNED })).toThrow(TypeError);
  });
});

describe("decoder + payload verifier (trailing checksums)", () => {
  it("CRC32 of the test body matches the independent value", async () => {
    const { crc32 } = await import("node:zlib");
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(crc32(BODY));
    expect(bytes.toString("base64")).toBe(CRC32_BODY);
  });

  it("detects a wrong trailing checksum for every mode that has trailers", async () => {
    for (const mode of [SIGNED_TRAILER, UNSIGNED]) {
      const seeded = mode === UNSIGNED ? undefined : await seed(mode);
      const signing = seeded?.signing;
      const wrong: Array<[string, string]> = [["x-amz-checksum-crc32", "AAAAAA=="]];
      const wire = seeded ? encodeSignedChunks(PIECES, seeded.ctx, wrong) : encodeUnsignedChunks(PIECES, wrong);
      const decoder = decoderFor(mode, signing);
      const verifier = createPayloadVerifier({ checksums: () => checksumsFromHeaders(decoder.trailers) });
      const result = await runStream([decoder, verifier], [wire]);
      expect(result.error).toMatchObject({ code: "BadDigest", status: 400 });
      expect(result.output.length).toBeLessThan(BODY.length);
      expect(result.ended).toBe(false);
    }
  });
});
