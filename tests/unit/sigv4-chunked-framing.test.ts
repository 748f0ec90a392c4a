// aws-chunked decoder: framing errors, bounds and large bodies (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
import { describe, expect, it } from "vitest";
import { createChunkedDecoder } from "../../gateway/sigv4/index";
import { encodeUnsignedChunks, runStream } from "./sigv4-test-helpers";

const UNSIGNED = "STREAMING-UNSIGNED-PAYLOAD-TRAILER" as const;

describe("framing", () => {
  const decode = (wire: string, extra = {}) =>
    runStream([createChunkedDecoder({ mode: UNSIGNED, ...extra })], [Buffer.from(wire, "latin1")]);

  it("refuses malformed chunk headers and missing CRLF after data", async () => {
    expect((await decode("zz\r\nab\r\n0\r\n\r\n")).error).toMatchObject({ code: "InvalidRequest" });
    expect((await decode("2\nab\r\n0\r\n\r\n")).error).toMatchObject({ code: "InvalidRequest" });
    expect((await decode("2\r\nabc\r\n0\r\n\r\n")).error).toMatchObject({ code: "InvalidRequest" });
    expect((await decode("2;chunk-signature=abc\r\nab\r\n0\r\n\r\n")).error).toMatchObject({ code: "InvalidRequest" });
  });

  it("bounds header lines instead of buffering them", async () => {
    const result = await decode("1".repeat(5000));
    expect(result.error).toMatchObject({ code: "InvalidRequest" });
    expect(result.error?.message).toContain("too long");
  });

  it("requires the trailers announced in x-amz-trailer and rejects malformed ones", async () => {
    const body = "2\r\nab\r\n0\r\n\r\n";
    expect((await decode(body, { expectedTrailers: ["X-Amz-Checksum-CRC32"] })).error).toMatchObject({ code: "MalformedTrailerError" });
    expect((await decode("0\r\nno-colon\r\n\r\n")).error).toMatchObject({ code: "MalformedTrailerError" });
    expect((await decode("0\r\na:1\r\na:2\r\n\r\n")).error).toMatchObject({ code: "MalformedTrailerError" });
    const many = Array.from({ length: 17 }, (_, i) => `t${i}:v\r\n`).join("");
    expect((await decode(`0\r\n${many}\r\n`)).error).toMatchObject({ code: "MalformedTrailerError" });
  });

  it("stores a __proto__ trailer as plain data", async () => {
    const decoder = createChunkedDecoder({ mode: UNSIGNED });
    const result = await runStream([decoder], [Buffer.from("0\r\n__proto__:x\r\n\r\n")]);
    expect(result.error).toBeUndefined();
    expect(decoder.trailers["__proto__"]).toBe("x");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("streams a large body in bounded pieces", async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const wire = encodeUnsignedChunks(Array.from({ length: 80 }, () => chunk), []);
    const pieces = Array.from({ length: Math.ceil(wire.length / 10_000) }, (_, i) => wire.subarray(i * 10_000, (i + 1) * 10_000));
    const decoder = createChunkedDecoder({ mode: UNSIGNED, decodedContentLength: 80 * chunk.length });
    const result = await runStream([decoder], pieces);
    expect(result.error).toBeUndefined();
    expect(result.output.length).toBe(80 * chunk.length);
  });
});
