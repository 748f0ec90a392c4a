// Slow and silent clients against a real gateway process (idle timeout 2 s). A client that goes
// silent mid-body gets S3's 400 RequestTimeout (SDKs retry it), then the connection closes; the
// upload leaves no temp file and no object, the request is recorded once, nothing is logged, and
// the gateway keeps serving. A refused request's small body is drained for a bounded time only.
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putObject, signedHead } from "./gateway-fuzz-requests";
import { type GatewayProcess, rawRequest, startGatewayProcess } from "./gateway-process";
import { testDb } from "./helpers";

let gw: GatewayProcess;
beforeAll(async () => {
  gw = await startGatewayProcess({ portBase: 4800 });
}, 120_000); // past startGatewayProcess's own 90 s deadline
afterAll(() => gw?.stop());

type Heard = { text: string; answeredMs: number | null; closedMs: number | null };

/**
 * Writes `head`, then `pieces` in order (a number: wait that long first; "answered": wait for the
 * server's first bytes). Records what the server says, when its first answer began and when it
 * closed the connection (null: still open after `listenMs`).
 */
function converse(head: string, pieces: Array<Buffer | number | "answered">, listenMs: number): Promise<Heard> {
  return new Promise((resolve) => {
    const started = Date.now();
    const heard: Heard = { text: "", answeredMs: null, closedMs: null };
    const socket = net.connect(gw.port, "127.0.0.1");
    const timer = setTimeout(() => done(), listenMs);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(heard);
    };
    socket.on("data", (d: Buffer) => {
      heard.answeredMs ??= Date.now() - started;
      heard.text += d.toString("latin1");
    });
    socket.on("error", () => {}); // writes after the server closed
    socket.on("close", () => {
      heard.closedMs = Date.now() - started;
      done();
    });
    socket.on("connect", async () => {
      socket.write(head);
      for (const piece of pieces) {
        if (typeof piece === "number") await new Promise((r) => setTimeout(r, piece));
        else if (piece === "answered") while (heard.answeredMs === null && !socket.destroyed) await new Promise((r) => setTimeout(r, 10));
        else if (!socket.destroyed) socket.write(piece);
      }
    });
  });
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

/** The stalled request's answer is S3's RequestTimeout error document, and the connection then closed. */
function expectRequestTimeout(heard: Heard, resource: string): string {
  expect(statuses(heard.text), heard.text).toEqual([400]);
  expect(heard.text).toMatch(/\r\nconnection: close\r\n/i);
  const requestId = /\r\nx-amz-request-id: (\w+)/i.exec(heard.text)?.[1];
  const doc = new XMLParser({ parseTagValue: false }).parse(heard.text.slice(heard.text.indexOf("\r\n\r\n") + 4)).Error;
  expect(doc).toMatchObject({ Code: "RequestTimeout", Resource: resource, RequestId: requestId });
  expect(doc.Message).toMatch(/not read from or written to within the timeout period/);
  expect(heard.closedMs, "the gateway closes the connection after the error").not.toBeNull();
  return requestId!;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** After a stalled upload: no temp file, no object, one event, no log line, and the gateway still serves. */
async function expectCleanAfterStall(requestId: string, objectKey: string) {
  const a = gw.attacker;
  await waitFor("the temp file to be removed", async () => (await readdir(path.join(gw.objects, ".tmp")).catch(() => [])).length === 0);
  const { head } = await signedHead(gw.port, a.key, "GET", `/${a.bucket}/${objectKey}`, {}, "UNSIGNED-PAYLOAD");
  expect((await rawRequest(gw.port, head)).code).toBe("NoSuchKey");
  const event = await waitFor("the event", () => testDb().event.findFirst({ where: { requestId } }));
  expect(event).toMatchObject({ accessKeyId: a.key.accessKeyId, status: 400, errorCode: "RequestTimeout" });
  await new Promise((r) => setTimeout(r, 300)); // a second record would come with the next batch
  expect(await testDb().event.count({ where: { requestId } })).toBe(1);
  expect(gw.alive()).toBe(true);
  const v = gw.victim;
  expect((await putObject(gw.port, v.key, `/${v.bucket}/after-${objectKey}`, Buffer.from("next"))).status).toBe(200);
  expect(gw.output()).not.toContain(requestId); // neither an error log nor an unexpected exception
  expect(gw.output()).not.toMatch(/unexpected (exception|rejection)/);
}

describe("stalled uploads", () => {
  it("a signed PUT whose client goes silent mid-body: 400 RequestTimeout, connection closed, nothing stored", async () => {
    const a = gw.attacker;
    const body = Buffer.alloc(200_000, 0x61);
    const hash = createHash("sha256").update(body).digest("hex");
    const { head } = await signedHead(gw.port, a.key, "PUT", `/${a.bucket}/stalled`, {}, hash, { "content-length": String(body.length) });
    const heard = await converse(head, [body.subarray(0, 100_000)], 10_000);
    const requestId = expectRequestTimeout(heard, `/${a.bucket}/stalled`);
    await expectCleanAfterStall(requestId, "stalled");
  });

  it("a POST form upload whose client goes silent in the file: the same", async () => {
    const a = gw.attacker;
    const client = new S3Client({
      endpoint: gw.url, region: "local", forcePathStyle: true, credentials: { accessKeyId: a.key.accessKeyId, secretAccessKey: a.key.secret },
    });
    const { fields } = await createPresignedPost(client, { Bucket: a.bucket, Key: "posted" });
    const boundary = "----keygatestall";
    const form = Object.entries(fields).map(([n, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join("")
      + `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\n\r\n`;
    const sent = Buffer.concat([Buffer.from(form), Buffer.alloc(100_000, 0x62)]);
    const head = `POST /${a.bucket} HTTP/1.1\r\nhost: 127.0.0.1:${gw.port}\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\ncontent-length: ${sent.length + 100_000}\r\n\r\n`;
    const heard = await converse(head, [sent], 10_000);
    const requestId = expectRequestTimeout(heard, `/${a.bucket}/posted`);
    await expectCleanAfterStall(requestId, "posted");
  });
});

describe("refused small bodies", () => {
  /** A PUT signed with a wrong secret announcing `body.length` bytes: refused 403 before its body is read. */
  const refusedPut = async (body: Buffer) => {
    const a = gw.attacker;
    const { head } = await signedHead(gw.port, { accessKeyId: a.key.accessKeyId, secret: "wrong-secret" }, "PUT", `/${a.bucket}/refused`, {}, "UNSIGNED-PAYLOAD", { "content-length": String(body.length) });
    return head;
  };

  it("a body trickled after the refusal is not drained for long: the connection is cut within the drain bound", async () => {
    const trickle = Array.from({ length: 60 }, (_, i) => [200, Buffer.from([i])]).flat(); // 1 byte / 200 ms: under the idle timeout
    const heard = await converse(await refusedPut(Buffer.alloc(1000)), trickle, 11_000);
    expect(statuses(heard.text)).toEqual([403]);
    expect(heard.closedMs, "the gateway cut the connection").not.toBeNull();
    expect(heard.closedMs! - heard.answeredMs!).toBeLessThan(8000); // the 5 s bound, with slack for a loaded machine
  });

  it("a body sent at once after the refusal is drained; the connection serves the next request, even after the drain bound", async () => {
    const a = gw.attacker;
    const { head: next } = await signedHead(gw.port, a.key, "GET", `/${a.bucket}?list-type=2`, {}, "UNSIGNED-PAYLOAD");
    const heard = await converse(await refusedPut(Buffer.alloc(1000)), ["answered", Buffer.alloc(1000), 6000, Buffer.from(next)], 8000);
    expect(statuses(heard.text), heard.text).toEqual([403, 200]);
    expect(heard.text).toContain("<ListBucketResult");
    expect(heard.closedMs, "the connection stays open").toBeNull();
  });
});
