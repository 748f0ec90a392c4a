// The gateway when its database is out of reach: every request that needs a key answers 503
// ServiceUnavailable (never 200 or 403), and readiness fails while PostgreSQL or the key-change
// channel (LISTEN) is down, so a load balancer takes the gateway out of rotation.
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import { createDb } from "../../lib/db";
import { type Signer, send, signedSend } from "../bench/sign";
import { expectS3Error } from "./gateway-assert";
import { type Gateway, listenGateway, seedMasterKey, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const deadUrl = "postgresql://x@127.0.0.1:1/x";
let gw: Gateway;
let accessKeyId: string;
let bucket: string;
let signer: Signer;
let client: S3Client;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedMasterKey(gw, ["outage"]);
  ({ signer, client } = seeded);
  accessKeyId = seeded.key.accessKeyId;
  bucket = seeded.buckets[0];
});
afterAll(async () => { await gw?.stop(); });

/** A POST Object form, well-formed and signed as far as can be checked without the key's record. */
function postForm(url: string) {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
  const fields = {
    key: "form.txt", "x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-credential": `${accessKeyId}/${date.slice(0, 8)}/local/s3/aws4_request`,
    "x-amz-date": date, policy: Buffer.from("{}").toString("base64"), "x-amz-signature": "0".repeat(64),
  };
  const b = "----protocolform";
  const parts = Object.entries(fields).map(([n, v]) => `--${b}\r\ncontent-disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`);
  const body = `${parts.join("")}--${b}\r\ncontent-disposition: form-data; name="file"; filename="f"\r\n\r\nhello\r\n--${b}--\r\n`;
  return send(url, { method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${b}` } });
}

describe("PostgreSQL unreachable", () => {
  it("answers 503 ServiceUnavailable, never 200 or 403, for signed, presigned and HEAD requests", async () => {
    const db = createDb(deadUrl, 1);
    const keys = new KeyStore(db, deadUrl);
    await keys.start();
    const events = new EventWriter(deadUrl, { intervalMs: 50 });
    const { url: base, close } = await listenGateway({ db, keys, events, metrics: createMetrics(), storageFor: () => gw.storage, domains: ["localhost"] });
    try {
      expectS3Error(await signedSend(signer, { method: "GET", url: `${base}/${bucket}/ten.txt` }), 503, "ServiceUnavailable");
      expectS3Error(await signedSend(signer, { method: "PUT", url: `${base}/${bucket}/new.txt`, body: "x" }), 503, "ServiceUnavailable");
      expectS3Error(await signedSend(signer, { method: "HEAD", url: `${base}/${bucket}/ten.txt` }), 503, "ServiceUnavailable", "HEAD");
      const presigned = (await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "ten.txt" }), { expiresIn: 60 })).replace(gw.url, base);
      expectS3Error(await send(presigned), 503, "ServiceUnavailable");
      // A browser form upload (POST Object) looks its key up too: 503, not a "malformed form" 400.
      expectS3Error(await postForm(`${base}/${bucket}`), 503, "ServiceUnavailable");
      // Alive, but not ready: a load balancer must take it out of rotation.
      expect((await send(`${base}/health/live`)).status).toBe(200);
      for (const path of ["/health", "/health/ready"]) {
        const health = await send(`${base}${path}`);
        expect([health.status, health.body.toString()], path).toEqual([503, "database unavailable"]);
      }
    } finally {
      await close();
      await events.stop();
      await keys.stop();
      await db.$disconnect().catch(() => {});
    }
  });
});

describe("readiness needs the key-change channel", () => {
  it("/health and /health/ready answer 503 while the LISTEN connection is down, even with PostgreSQL reachable", async () => {
    const keys = new KeyStore(testDb(), deadUrl); // queries work; LISTEN cannot connect
    await keys.start();
    const events = new EventWriter(deadUrl);
    const { url: base, close } = await listenGateway({ db: testDb(), keys, events, metrics: createMetrics(), storageFor: () => gw.storage, domains: ["localhost"] });
    try {
      expect((await send(`${base}/health/live`)).status).toBe(200);
      for (const path of ["/health", "/health/ready"]) {
        const health = await send(`${base}${path}`);
        expect([health.status, health.body.toString(), health.headers["retry-after"]], path).toEqual([503, "key-change channel not listening", "5"]);
      }
    } finally {
      await close();
      await events.stop();
      await keys.stop();
    }
  });
});
