// An attacker holding one valid key against a real gateway process: every malformed request
// gets an S3 answer or a closed connection, the process stays alive, and the next valid request
// from another organization's key succeeds and is recorded as an event. The test fails the
// moment any case makes the process exit.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amzDate } from "../unit/sigv4-test-helpers";
import { send } from "../bench/sign";
import { lockCases } from "./gateway-fuzz-lock";
import { bogusSigned, chunkedPut, deleteObjects, deleteXml, putObject, signedHead } from "./gateway-fuzz-requests";
import { type GatewayProcess, METRICS_TOKEN, type RawAnswer, rawRequest, startGatewayProcess } from "./gateway-process";
import { testDb } from "./helpers";

let gw: GatewayProcess;
beforeAll(async () => {
  gw = await startGatewayProcess();
}, 120_000); // past startGatewayProcess's own 90 s deadline, so a slow start never leaves an orphan
afterAll(async () => {
  await gw?.stop();
});

const BOUNDARY = "----keygatefuzz";
const formBody = (fields: string[][]) =>
  fields.map(([n, v]) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join("") + `--${BOUNDARY}--\r\n`;

/** `code`: the S3 error code required where the issue names it (S3 answers the same). */
type Case = { name: string; run: () => Promise<RawAnswer>; expect: Array<number | null>; code?: string };

/** 1 GB announced, 64 KiB sent, then the client keeps the connection open without sending. */
async function refusedHugePut(): Promise<RawAnswer> {
  const { head } = await signedHead(gw.port, { accessKeyId: gw.attacker.key.accessKeyId, secret: "wrong-secret" }, "PUT", `/${gw.attacker.bucket}/huge`, {}, "UNSIGNED-PAYLOAD", { "content-length": String(1 << 30) });
  return rawRequest(gw.port, head, [Buffer.alloc(65_536)], { timeoutMs: 8000 });
}

function cases(): Case[] {
  const { port, attacker: a } = gw;
  const obj = (name: string) => `/${a.bucket}/${name}`;
  const put = (name: string, mode: Parameters<typeof chunkedPut>[3], corrupt: (b: string) => string, opts?: Parameters<typeof chunkedPut>[5]) =>
    () => chunkedPut(port, a.key, obj(name), mode, corrupt, opts);
  const firstSig = (b: string) => b.replace(/chunk-signature=([0-9a-f])/, (_, c: string) => `chunk-signature=${c === "0" ? "1" : "0"}`);
  const day = amzDate(new Date()).slice(0, 8);
  const dated = async (date: string) => {
    const { head } = await signedHead(port, a.key, "GET", obj("x"), {}, "UNSIGNED-PAYLOAD");
    return rawRequest(port, head.replace(/x-amz-date: \w+/, `x-amz-date: ${date}`));
  };
  const small = Buffer.from("hello");
  const form = `multipart/form-data; boundary=${BOUNDARY}`;
  const postForm = (contentType: string, body: string, opts: { truncateTo?: number; abortAfterMs?: number } = {}) => {
    const bytes = Buffer.from(body, "latin1");
    const sent = opts.truncateTo === undefined ? bytes : bytes.subarray(0, opts.truncateTo);
    const head = `POST /${a.bucket} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: ${contentType}\r\ncontent-length: ${bytes.length}\r\n\r\n`;
    return rawRequest(port, head, [sent], { abortAfterMs: opts.abortAfterMs, timeoutMs: 8000 });
  };
  return [
    // aws-chunked corruptions
    { name: "aws-chunked: wrong chunk signature", run: put("c1", "signed", firstSig), expect: [403], code: "SignatureDoesNotMatch" },
    { name: "aws-chunked: non-hex chunk size", run: put("c2", "signed", (b) => b.replace(/^2000;/, "zz00;")), expect: [400] },
    { name: "aws-chunked: negative chunk size", run: put("c3", "signed", (b) => b.replace(/^2000;/, "-2000;")), expect: [400] },
    { name: "aws-chunked: huge chunk size", run: put("c4", "signed", (b) => b.replace(/^2000;/, "ffffffffffffffff;")), expect: [400] },
    { name: "aws-chunked: short middle chunk", run: put("c5", "signed", (b) => b.replace(/^2000;/, "1000;")), expect: [400, 403] },
    { name: "aws-chunked: decoded length mismatch", run: put("c6", "signed", (b) => b, { decodedLength: 9000 }), expect: [400], code: "IncompleteBody" },
    { name: "aws-chunked: missing trailer", run: put("c7", "unsigned-trailer", (b) => b.replace(/x-amz-checksum-crc32:[^\r]*\r\n/, "")), expect: [400] },
    { name: "aws-chunked: wrong trailer checksum", run: put("c8", "unsigned-trailer", (b) => b.replace(/x-amz-checksum-crc32:[^\r]*/, "x-amz-checksum-crc32:AAAAAA==")), expect: [400], code: "BadDigest" },
    { name: "aws-chunked: wrong trailer signature", run: put("c9", "signed-trailer", (b) => b.replace(/x-amz-trailer-signature:[0-9a-f]/, "x-amz-trailer-signature:g")), expect: [400, 403] },
    { name: "aws-chunked: chunk data without CRLF", run: put("c10", "signed", (b) => b.replace(/a\r\n/, "aXX")), expect: [400] },
    { name: "aws-chunked: data after the final chunk", run: put("c11", "unsigned-trailer", (b) => `${b}garbage`), expect: [400] },
    { name: "aws-chunked: header line without newline", run: put("c12", "signed", (b) => `${"f".repeat(4000)}${b}`), expect: [400] },
    { name: "aws-chunked: body truncated, client silent", run: put("c13", "signed", (b) => b.slice(0, 5000), { truncate: true }), expect: [400], code: "RequestTimeout" },
    { name: "aws-chunked: body ends before final chunk", run: put("c14", "unsigned-trailer", (b) => b.slice(0, 8300)), expect: [400], code: "IncompleteBody" },
    // digests and checksums
    { name: "Content-MD5 too short", run: () => putObject(port, a.key, obj("m1"), small, { "content-md5": "abc" }), expect: [400], code: "InvalidDigest" },
    { name: "Content-MD5 empty", run: () => putObject(port, a.key, obj("m2"), small, { "content-md5": "" }), expect: [400], code: "InvalidDigest" },
    { name: "Content-MD5 mismatch", run: () => putObject(port, a.key, obj("m3"), small, { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==" }), expect: [400], code: "BadDigest" },
    { name: "x-amz-checksum-crc32 malformed", run: () => putObject(port, a.key, obj("m4"), small, { "x-amz-checksum-crc32": "not base64!" }), expect: [400], code: "InvalidRequest" },
    { name: "Expect: something-else", run: () => putObject(port, a.key, obj("e1"), small, { expect: "something-else" }), expect: [200] },
    // aborted and truncated bodies
    { name: "client aborts mid-upload", run: () => putObject(port, a.key, obj("t1"), Buffer.alloc(1 << 20), {}, { sendBody: [Buffer.alloc(300_000)], abortAfterMs: 200 }), expect: [null] },
    { name: "body truncated, client silent", run: () => putObject(port, a.key, obj("t2"), Buffer.alloc(100_000), {}, { sendBody: [Buffer.alloc(50_000)] }), expect: [400], code: "RequestTimeout" },
    { name: "1 GB PUT refused (wrong secret), 64 KiB sent", run: refusedHugePut, expect: [403], code: "SignatureDoesNotMatch" },
    // POST Object (browser form uploads): the multipart parser sees unauthenticated input
    { name: "POST form: no boundary", run: () => postForm("multipart/form-data", "garbage"), expect: [400] },
    { name: "POST form: not multipart", run: () => postForm("text/plain", "key=x"), expect: [400, 405] },
    { name: "POST form: garbage between boundaries", run: () => postForm(form, `--${BOUNDARY}\r\n\x00\x01 not headers\r\n\r\n--${BOUNDARY}--\r\n`), expect: [400] },
    { name: "POST form: fields but no file", run: () => postForm(form, formBody([["key", "x"], ["policy", "e30="]])), expect: [400, 403] },
    { name: "POST form: 200 KB field", run: () => postForm(form, formBody([["key", "k".repeat(200_000)]])), expect: [400] },
    { name: "POST form: 5,000 fields", run: () => postForm(form, formBody(Array.from({ length: 5000 }, (_, i) => [`f${i}`, "v"]))), expect: [400] },
    { name: "POST form: truncated, client silent", run: () => postForm(form, formBody([["key", "x"]]), { truncateTo: 20 }), expect: [400], code: "RequestTimeout" },
    { name: "POST form: client aborts mid-body", run: () => postForm(form, `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="a"\r\n\r\n${"z".repeat(300_000)}`, { abortAfterMs: 100 }), expect: [null, 400] },
    // header floods
    { name: "header flood: 100 KB header", run: () => rawRequest(port, `GET /${a.bucket} HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(100_000)}\r\n\r\n`), expect: [431, null] },
    { name: "header flood: 5000 headers", run: () => rawRequest(port, `GET /${a.bucket} HTTP/1.1\r\nhost: x\r\n${Array.from({ length: 5000 }, (_, i) => `x-h${i}: v`).join("\r\n")}\r\n\r\n`), expect: [431, 403, null] },
    { name: "header flood: 2 KB user agent", run: () => bogusSigned(port, a.key.accessKeyId, "GET", obj("ua"), `user-agent: ${"u".repeat(2000)}\r\n`), expect: [403] },
    // dates
    { name: "bad date: garbage x-amz-date", run: () => dated("garbage"), expect: [400, 403] },
    { name: "bad date: 99999999T999999Z", run: () => dated("99999999T999999Z"), expect: [400, 403] },
    { name: "bad date: year 1900", run: () => dated("19000101T000000Z"), expect: [400, 403] },
    { name: "bad date: credential day 00000000", run: async () => rawRequest(port, (await signedHead(port, a.key, "GET", obj("d"), {}, "UNSIGNED-PAYLOAD")).head.replace(`/${day}/`, "/00000000/")), expect: [400, 403] },
    // XML bodies
    { name: "bad XML: unclosed tags", run: () => deleteObjects(port, a.key, a.bucket, Buffer.from("<Delete><Object><Key>x</Key>")), expect: [400], code: "MalformedXML" },
    { name: "bad XML: 120,000 nested elements", run: () => deleteObjects(port, a.key, a.bucket, Buffer.from(`${"<a>".repeat(120_000)}${"</a>".repeat(120_000)}`)), expect: [400], code: "MalformedXML" },
    { name: "bad XML: 3 MB DeleteObjects body", run: () => deleteObjects(port, a.key, a.bucket, deleteXml(Array.from({ length: 3000 }, (_, i) => `${"k".repeat(1000)}${i}`))), expect: [400], code: "MaxMessageLengthExceeded" },
    { name: "bad XML: 1,001 keys", run: () => deleteObjects(port, a.key, a.bucket, deleteXml(Array.from({ length: 1001 }, (_, i) => `k${i}`))), expect: [400], code: "MalformedXML" },
    { name: "bad XML: DOCTYPE entity", run: () => deleteObjects(port, a.key, a.bucket, Buffer.from('<!DOCTYPE d [<!ENTITY x "y">]><Delete><Object><Key>&x;</Key></Object></Delete>')), expect: [400], code: "MalformedXML" },
    { name: "bad XML: NUL in a key", run: () => deleteObjects(port, a.key, a.bucket, Buffer.from("<Delete><Object><Key>a\u0000b</Key></Object></Delete>")), expect: [400], code: "MalformedXML" },
    // NUL and control characters
    { name: "NUL in key, bogus signature", run: () => bogusSigned(port, a.key.accessKeyId, "GET", `/${a.bucket}/x%00y`), expect: [403], code: "SignatureDoesNotMatch" },
    { name: "NUL in key, signed GET", run: async () => rawRequest(port, (await signedHead(port, a.key, "GET", `/${a.bucket}/x%00y`, {}, "UNSIGNED-PAYLOAD")).head), expect: [400, 404] },
    { name: "NUL in key, signed PUT", run: () => putObject(port, a.key, `/${a.bucket}/x%00y`, small), expect: [200, 400] },
    { name: "control characters in key (%01%1F%7F), signed GET", run: async () => rawRequest(port, (await signedHead(port, a.key, "GET", `/${a.bucket}/a%01%1F%7Fb`, {}, "UNSIGNED-PAYLOAD")).head), expect: [404], code: "NoSuchKey" },
    { name: "control characters in query string", run: async () => rawRequest(port, (await signedHead(port, a.key, "GET", `/${a.bucket}?list-type=2&prefix=%01%1f%7f`, {}, "UNSIGNED-PAYLOAD")).head), expect: [200] },
    { name: "NUL in query string", run: async () => rawRequest(port, (await signedHead(port, a.key, "GET", `/${a.bucket}?list-type=2&prefix=%00`, {}, "UNSIGNED-PAYLOAD")).head), expect: [200, 400] },
    { name: "raw NUL byte in a header", run: () => rawRequest(port, `GET /${a.bucket} HTTP/1.1\r\nhost: x\r\nuser-agent: a\u0000b\r\n\r\n`), expect: [400, null] },
    { name: "control characters in user agent", run: () => bogusSigned(port, a.key.accessKeyId, "GET", obj("cc"), "user-agent: a\u0001\u001f\u007fb\r\n"), expect: [400, 403, null] },
    { name: "invalid UTF-8 in key (%ff%fe)", run: () => bogusSigned(port, a.key.accessKeyId, "GET", `/${a.bucket}/%ff%fe`), expect: [400, 403] },
    { name: "lone surrogate in key (%ed%a0%80)", run: () => bogusSigned(port, a.key.accessKeyId, "GET", `/${a.bucket}/%ed%a0%80`), expect: [400, 403] },
    { name: "bad percent-encoding in key (%zz)", run: () => bogusSigned(port, a.key.accessKeyId, "GET", `/${a.bucket}/%zz`), expect: [400, 403] },
    { name: "not HTTP at all", run: () => rawRequest(port, "\u0000\u0001\u0002 garbage\r\n\r\n"), expect: [400, null] },
    ...lockCases(port, a.key, a.bucket),
  ];
}

/** A valid PUT from the victim's key; returns its request id once its event is stored. */
async function victimRequestRecorded(i: number): Promise<string> {
  const v = gw.victim;
  const body = Buffer.from(`probe ${i}`);
  const answer = await putObject(gw.port, v.key, `/${v.bucket}/probe-${i}`, body);
  expect(answer.status, `victim PUT after case ${i} (gateway alive: ${gw.alive()})`).toBe(200);
  const requestId = answer.requestId!;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const event = await testDb().event.findFirst({ where: { requestId, accessKeyId: v.key.accessKeyId } });
    if (event) return requestId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`event of victim request ${requestId} not recorded`);
}

describe("gateway fuzz (real process, one valid key)", () => {
  it("answers every malformed request and keeps serving other keys", async () => {
    const table: string[] = ["| # | case | S3 answer | alive |", "|---|---|---|---|"];
    const all = cases();
    const wrong: string[] = [];
    for (const [i, c] of all.entries()) {
      const answer = await c.run();
      await new Promise((r) => setTimeout(r, 20)); // let a crash, if any, happen
      const alive = gw.alive();
      const shown = answer.status === null ? answer.note : `${answer.status} ${answer.code ?? ""}`.trim();
      table.push(`| ${i + 1} | ${c.name} | ${shown} | ${alive ? "yes" : "NO"} |`);
      if (!alive) console.log(table.join("\n"), gw.output());
      expect(alive, `gateway exited after "${c.name}"`).toBe(true);
      if (!c.expect.includes(answer.status) || (c.code !== undefined && answer.code !== c.code)) wrong.push(`${c.name}: ${shown}`);
      await victimRequestRecorded(i);
    }
    console.log(table.join("\n"));
    if (wrong.length) console.log(gw.output());
    expect(wrong).toEqual([]);
    expect(gw.output()).not.toMatch(/unexpected (exception|rejection)/);
  }, 300_000);

  it("records the attacker's poisoned requests with NUL escaped and long values capped", async () => {
    const rows = await testDb().event.findMany({ where: { accessKeyId: gw.attacker.key.accessKeyId, objectKey: { contains: "\\u0000" } } });
    expect(rows.length).toBeGreaterThan(0);
    const ua = await testDb().event.findFirst({ where: { accessKeyId: gw.attacker.key.accessKeyId, userAgent: { startsWith: "uuuu" } } });
    expect(ua?.userAgent?.length).toBeLessThanOrEqual(512);
  });

  it("listens on KEYGATE_GATEWAY_HOST only (127.0.0.1: another loopback address is refused)", async () => {
    const connects = (host: string) => new Promise<string>((resolve) => {
      const socket = connect(gw.port, host);
      socket.once("connect", () => { socket.destroy(); resolve("connected"); });
      socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(await connects("127.0.0.1")).toBe("connected");
    expect(await connects("127.0.0.2")).toBe("ECONNREFUSED"); // accepted if bound to every interface
  });

  it("/metrics needs the bearer token and counts nothing unexpected", async () => {
    expect((await send(`${gw.url}/metrics`)).status).toBe(401);
    expect((await send(`${gw.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const metrics = await send(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(metrics.body.toString()).toMatch(/keygate_s3_requests_total/);
    expect(metrics.body.toString()).not.toMatch(/keygate_gateway_unexpected_errors_total\{[^}]*\} [1-9]/);
  });

  it("does not read a refused upload's body: it answers at once and the connection closes", async () => {
    const started = Date.now();
    const answer = await refusedHugePut();
    expect(answer.status).toBe(403);
    expect(Date.now() - started).toBeLessThan(1500); // well under the 2 s idle timeout
  });
});
