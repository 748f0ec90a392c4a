// Expect as S3 handles it: "100-continue" is answered only once the gateway wants the body, so a
// refused upload gets its error before the client sends a byte of it (and the connection then
// closes); any other Expect value is ignored rather than answered 417 as node would.
import { createHash } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { signedHead } from "./gateway-fuzz-requests";
import { type Gateway, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let key: IssuedKey;
let bucket: string;
let port: number;

beforeAll(async () => {
  gw = await startGateway();
  const p = await seedProject(gw, ["expect"]);
  bucket = p.buckets[0];
  key = await createMasterKey(testDb(), p.admin, { projectId: p.project.id, name: "m", regionId: "local" });
  port = Number(new URL(gw.url).port);
});
afterAll(() => gw?.stop());

type Exchange = { statuses: number[]; bodySent: boolean; closed: boolean };

/** Writes `head`, and `body` only after a "100 Continue"; reads until the final answer, then whether the server closes. */
function exchange(head: string, body: Buffer): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(head));
    const result: Exchange = { statuses: [], bodySent: false, closed: false };
    let text = "";
    let finalAt = -1;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => (finalAt >= 0 ? done() : reject(new Error(`no final answer: ${JSON.stringify(result)}`))), 5000);
    socket.on("close", () => {
      result.closed = true;
      done();
    });
    socket.on("error", () => {});
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      for (let end = text.indexOf("\r\n\r\n"); end >= 0 && finalAt < 0; end = text.indexOf("\r\n\r\n")) {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)![1]);
        result.statuses.push(status);
        if (status >= 200) {
          finalAt = Date.now();
          setTimeout(done, 1000); // long enough to see the server close the connection
          return;
        }
        text = text.slice(end + 4);
        if (status === 100 && !result.bodySent) {
          socket.write(body);
          result.bodySent = true;
        }
      }
    });
  });
}

async function put(name: string, body: Buffer, headers: Record<string, string>, secret = key.secret) {
  const hash = createHash("sha256").update(body).digest("hex");
  const { head } = await signedHead(port, { accessKeyId: key.accessKeyId, secret }, "PUT", `/${bucket}/${name}`, {}, hash, headers);
  return head;
}

describe("Expect", () => {
  it("100-continue: the gateway asks for the body of an accepted upload, then stores it", async () => {
    const body = Buffer.from("hello");
    const answer = await exchange(await put("continued", body, { "content-length": "5", expect: "100-continue" }), body);
    expect(answer).toMatchObject({ statuses: [100, 200], bodySent: true });
    expect((await gw.storage.headObject(bucket, "continued")).size).toBe(5);
  });

  it("100-continue: a refused upload (wrong secret, 1 GB announced) is answered 403 at once, its body never asked for, the connection closed", async () => {
    const head = await put("refused", Buffer.alloc(0), { "content-length": String(1 << 30), expect: "100-continue" }, "wrong-secret");
    const answer = await exchange(head, Buffer.alloc(0));
    expect(answer).toEqual({ statuses: [403], bodySent: false, closed: true });
  });

  it("an Expect value other than 100-continue is ignored (node alone would answer 417)", async () => {
    const body = Buffer.from("hello");
    const head = await put("ignored", body, { "content-length": "5", expect: "something-else" });
    const answer = await exchange(head.replace(/\r\n\r\n$/, "\r\n\r\nhello"), body);
    expect(answer.statuses).toEqual([200]);
  });
});
