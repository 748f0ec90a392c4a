// Interop with the real AWS SDK v3 (@aws-sdk/client-s3, s3-request-presigner): a loopback node
// HTTP server verifies what the SDK actually sends, exactly as node parses it (req.url,
// req.headersDistinct), and streams bodies through the chunked decoder and payload verifier.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable, type Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checksumsFromHeaders,
  createChunkedDecoder,
  createPayloadVerifier,
  getComputedChecksums,
  verifyRequest,
  type StreamingMode,
  type VerifyOk,
} from "../../gateway/sigv4/index";
import { runStream } from "./sigv4-test-helpers";

const KEY = { accessKeyId: "KGTESTKEY0001", secret: "s3cr3t/with+chars=", region: "eu-west-3" };
type Seen = { method: string; url: string; payload: string; body: string; checksums: Record<string, string> };
const seen: Seen[] = [];
let server: Server;
let endpoint = "";

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

function bodyTransforms(ok: VerifyOk<unknown>, req: IncomingMessage): { transforms: Transform[]; verifier: ReturnType<typeof createPayloadVerifier> } {
  const single = (name: string) => req.headersDistinct[name]?.[0];
  const transforms: Transform[] = [];
  let checksums = () => checksumsFromHeaders(req.headersDistinct);
  if (ok.payload.startsWith("STREAMING-")) {
    const decoder = createChunkedDecoder({
      mode: ok.payload as StreamingMode,
      chunkSigning: ok.chunkSigning,
      decodedContentLength: ok.decodedContentLength,
      expectedTrailers: single("x-amz-trailer")?.split(","),
    });
    transforms.push(decoder);
    checksums = () => ({ ...checksumsFromHeaders(req.headersDistinct), ...checksumsFromHeaders(decoder.trailers) });
  }
  const verifier = createPayloadVerifier({ sha256Hex: ok.contentSha256, contentMd5Base64: single("content-md5"), checksums });
  transforms.push(verifier);
  return { transforms, verifier };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const lookup = async (id: string) => (id === KEY.accessKeyId ? { secret: KEY.secret, region: KEY.region } : null);
  const result = await verifyRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headersDistinct }, { now: new Date(), lookup });
  if (!result.ok) return sendError(res, result.status, result.code, result.message);
  const pieces: Buffer[] = [];
  for await (const piece of req) pieces.push(piece as Buffer);
  const { transforms, verifier } = bodyTransforms(result, req);
  const out = await runStream(transforms, pieces);
  if (out.error) return sendError(res, out.error.status ?? 500, out.error.code ?? "InternalError", out.error.message);
  seen.push({ method: req.method ?? "", url: req.url ?? "", payload: result.payload, body: out.output.toString(), checksums: getComputedChecksums(verifier) });
  if (req.url?.includes("list-type=2")) {
    res.writeHead(200, { "content-type": "application/xml" });
    return void res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>');
  }
  res.writeHead(200, { etag: '"0"' });
  res.end(req.method === "GET" ? "object-body" : "");
}

const client = (secret = KEY.secret) =>
  new S3Client({
    region: KEY.region, endpoint, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: secret },
  });

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res).catch((e) => sendError(res, 500, "InternalError", String(e))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const KEY_NAME = "dir one/a+b !'()*~ü%.txt";

describe("AWS SDK v3 against verifyRequest", () => {
  it("PutObject with a Buffer body (hex sha256 + x-amz-checksum-crc32 header)", async () => {
    await client().send(new PutObjectCommand({ Bucket: "b", Key: KEY_NAME, Body: Buffer.from("hello world") }));
    expect(seen.at(-1)).toMatchObject({ method: "PUT", payload: "SHA256", body: "hello world", checksums: { crc32: "DUoRhQ==" } });
  });

  it("PutObject with a stream body (STREAMING-UNSIGNED-PAYLOAD-TRAILER, trailing CRC32)", async () => {
    const body = Readable.from([Buffer.from("hello "), Buffer.from("streaming "), Buffer.from("world")]);
    await client().send(new PutObjectCommand({ Bucket: "b", Key: KEY_NAME, Body: body, ContentLength: 21 }));
    expect(seen.at(-1)).toMatchObject({ payload: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", body: "hello streaming world" });
    expect(seen.at(-1)?.checksums.crc32).toBeDefined();
  });

  it("ListObjectsV2 with a prefix needing encoding", async () => {
    await client().send(new ListObjectsV2Command({ Bucket: "b", Prefix: "a b+c/ü=&", Delimiter: "/" }));
    expect(seen.at(-1)?.url).toContain("list-type=2");
  });

  it("refuses the SDK's request when the secret is wrong", async () => {
    await expect(client("wrong").send(new GetObjectCommand({ Bucket: "b", Key: KEY_NAME }))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
  });

  it("presigned GET and PUT URLs from s3-request-presigner", async () => {
    const getUrl = await getSignedUrl(client(), new GetObjectCommand({ Bucket: "b", Key: KEY_NAME }), { expiresIn: 300 });
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("object-body");
    const putUrl = await getSignedUrl(client(), new PutObjectCommand({ Bucket: "b", Key: "up.txt" }), { expiresIn: 300 });
    const put = await fetch(putUrl, { method: "PUT", body: "uploaded" });
    expect(put.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ payload: "UNSIGNED-PAYLOAD", body: "uploaded" });
    const tampered = await fetch(getUrl.replace("X-Amz-Expires=300", "X-Amz-Expires=301"));
    expect(tampered.status).toBe(403);
  });
});
