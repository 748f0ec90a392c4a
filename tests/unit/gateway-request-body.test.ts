// verifiedBody's shortcut for body-less requests must not skip any check the verifier makes.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { verifiedBody } from "../../gateway/request-body";
import type { VerifyOk } from "../../gateway/sigv4";
import { EMPTY_SHA256 } from "../../gateway/sigv4/canonical-request";

function request(headers: Record<string, string>, body?: Buffer): IncomingMessage {
  const req = new PassThrough() as unknown as IncomingMessage & PassThrough;
  Object.defineProperty(req, "headersDistinct", { value: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) });
  (req as PassThrough).end(body);
  return req;
}

const auth = (payload: VerifyOk<unknown>["payload"], contentSha256?: string) => ({ payload, contentSha256 }) as VerifyOk<unknown>;

async function outcome(headers: Record<string, string>, a: VerifyOk<unknown>, body?: Buffer): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of verifiedBody(request(headers, body), a)) chunks.push(c as Buffer);
    return `ok:${Buffer.concat(chunks).length}`;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe("verifiedBody", () => {
  it("gives an empty body for requests without one (unsigned, or signed as empty)", async () => {
    expect(await outcome({}, auth("UNSIGNED-PAYLOAD"))).toBe("ok:0");
    expect(await outcome({ "content-length": "0" }, auth("SHA256", EMPTY_SHA256))).toBe("ok:0");
  });

  it("still checks a declared hash, Content-MD5 or checksum against an empty body", async () => {
    const other = createHash("sha256").update("x").digest("hex");
    expect(await outcome({}, auth("SHA256", other))).toBe("XAmzContentSHA256Mismatch");
    expect(await outcome({ "content-md5": createHash("md5").update("x").digest("base64") }, auth("UNSIGNED-PAYLOAD"))).toBe("BadDigest");
    expect(await outcome({ "x-amz-checksum-crc32": "AAAAAQ==" }, auth("UNSIGNED-PAYLOAD"))).toBe("BadDigest");
  });

  it("verifies a body that is there", async () => {
    const body = Buffer.from("hello");
    const sha = createHash("sha256").update(body).digest("hex");
    expect(await outcome({ "content-length": "5" }, auth("SHA256", sha), body)).toBe("ok:5");
    expect(await outcome({ "content-length": "5" }, auth("SHA256", EMPTY_SHA256), body)).toBe("XAmzContentSHA256Mismatch");
  });
});
