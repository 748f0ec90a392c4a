// Issue 11, item 5: the gateway never lets a browser sniff uploaded content into something
// active, and serves active types (HTML, SVG, XML, JavaScript) in a CSP sandbox.
// Item 3: the gateway resolves the client address with the same helper as the console.
import { GetObjectCommand, PutBucketCorsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

// Read once by getEnv(): this test's gateway sits behind a "proxy" on 127.0.0.1.
process.env.KEYGATE_TRUSTED_PROXIES = "127.0.0.1/32";

let gw: Gateway;
let key: IssuedKey;
let bucket: string;

beforeAll(async () => {
  gw = await startGateway();
  const p = await seedProject(gw, ["web"]);
  bucket = p.buckets[0];
  key = await createMasterKey(testDb(), p.admin, { projectId: p.project.id, name: "m", regionId: "local" });
});
afterAll(() => gw?.stop());

async function served(name: string, contentType: string, body: string) {
  const client = s3(gw, key);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ContentType: contentType }));
  return fetch(await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: name }), { expiresIn: 60 }));
}

describe("gateway response headers for uploaded content", () => {
  it("HTML and SVG objects come sandboxed and with nosniff", async () => {
    for (const [name, type, body] of [["page.html", "text/html", "<script>parent.document</script>"], ["pic.svg", "image/svg+xml", "<svg onload='alert(1)'/>"]]) {
      const res = await served(name, type, body);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy"), name).toBe("sandbox");
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
    }
  });

  it("passive types are not sandboxed but still nosniff; errors carry nosniff too", async () => {
    const png = await served("pic.png", "image/png", "not really a png");
    expect(png.headers.get("content-security-policy")).toBeNull();
    expect(png.headers.get("x-content-type-options")).toBe("nosniff");
    const missing = await fetch(`${gw.url}/${bucket}/nothing-here`);
    expect(missing.status).toBe(403);
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("every other gateway response carries nosniff too: health, metrics, CORS preflight", async () => {
    await s3(gw, key).send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["https://app.example"], AllowedMethods: ["GET"] }] } }));
    const preflight = await fetch(`${gw.url}/${bucket}/page.html`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(200);
    for (const res of [await fetch(`${gw.url}/health/live`), await fetch(`${gw.url}/health`), await fetch(`${gw.url}/metrics`), preflight]) {
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    }
  });
});

describe("gateway client address", () => {
  it("events record the right-most untrusted X-Forwarded-For hop, not the forged left part", async () => {
    const client = s3(gw, key);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "ip.txt", Body: "x" }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "ip.txt" }), { expiresIn: 60 });
    const res = await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.7" } });
    expect(res.status).toBe(200);
    await expect.poll(async () => {
      const ev = await testDb().event.findFirst({ where: { accessKeyId: key.accessKeyId, operation: "GetObject", objectKey: "ip.txt" } });
      return ev?.ip ?? null;
    }, { timeout: 5000 }).toBe("203.0.113.7");
  });
});
