// End to end in Chromium: a page served from another origin uploads straight to the real gateway
// with a presigned PUT and with a POST policy form, and downloads the files back; a key without
// Write is refused in both, and an origin the bucket's CORS rules do not name cannot even read
// the answer. Only the gateway is needed (no console), so this runs with the integration tests
// and drives Debian's Chromium through the playwright library.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, PutBucketCorsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type Browser, chromium, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let bucket: string;
let writer: IssuedKey;
let readOnly: IssuedKey;
let browser: Browser;
let pages: http.Server[] = [];

/** A static page on its own origin (127.0.0.1:<another port>). */
async function pageOrigin(): Promise<string> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title><p>app</p>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  pages.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function openPage(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

const putUrl = (key: IssuedKey, objectKey: string) => getSignedUrl(s3(gw, key), new PutObjectCommand({ Bucket: bucket, Key: objectKey }), { expiresIn: 300 });
const getUrl = (key: IssuedKey, objectKey: string) => getSignedUrl(s3(gw, key), new GetObjectCommand({ Bucket: bucket, Key: objectKey }), { expiresIn: 300 });
const postForm = (key: IssuedKey, prefix: string) =>
  createPresignedPost(s3(gw, key), { Bucket: bucket, Key: `${prefix}\${filename}`, Conditions: [["starts-with", "$key", prefix]], Expires: 300 });

/** In the page: PUT a body to a presigned URL; the status, or "blocked" when CORS hides the answer. */
const browserPut = (page: Page, url: string, body: string) =>
  page.evaluate(async ({ url, body }) => fetch(url, { method: "PUT", body }).then((r) => r.status, () => "blocked"), { url, body });
const browserGet = (page: Page, url: string) => page.evaluate(async (url) => (await fetch(url)).text(), url);
const browserPost = (page: Page, form: { url: string; fields: Record<string, string> }, name: string, body: string) =>
  page.evaluate(async ({ form, name, body }) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append("file", new File([body], name, { type: "text/plain" }));
    return fetch(form.url, { method: "POST", body: data }).then((r) => r.status, () => "blocked");
  }, { form, name, body });

let appOrigin: string;
let otherOrigin: string;

beforeAll(async () => {
  gw = await startGateway();
  const { admin, project, buckets } = await seedProject(gw, ["browser"]);
  [bucket] = buckets;
  const master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
  writer = await createSubKey(testDb(), admin, { projectId: project.id, name: "w", regionId: "local", permissions: ["read", "write"] });
  readOnly = await createSubKey(testDb(), admin, { projectId: project.id, name: "r", regionId: "local", permissions: ["read"] });
  [appOrigin, otherOrigin] = [await pageOrigin(), await pageOrigin()];
  await s3(gw, master).send(new PutBucketCorsCommand({
    Bucket: bucket,
    CORSConfiguration: { CORSRules: [{ AllowedOrigins: [appOrigin], AllowedMethods: ["GET", "PUT", "POST"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"] }] },
  }));
  browser = await chromium.launch({
    executablePath: process.env.KEYGATE_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  for (const p of pages) p.close();
  await gw?.stop();
});

describe("uploads from a page on another origin", () => {
  it("presigned PUT: uploads and downloads back", async () => {
    const page = await openPage(appOrigin);
    expect(await browserPut(page, await putUrl(writer, "put/hello.txt"), "hello from chromium")).toBe(200);
    expect(await browserGet(page, await getUrl(writer, "put/hello.txt"))).toBe("hello from chromium");
  }, 60_000);

  it("POST policy form: uploads and downloads back", async () => {
    const page = await openPage(appOrigin);
    expect(await browserPost(page, await postForm(writer, "form/"), "note.txt", "posted from chromium")).toBe(204);
    expect(await browserGet(page, await getUrl(writer, "form/note.txt"))).toBe("posted from chromium");
  }, 60_000);

  it("a key without Write is refused in both (403, readable thanks to CORS on errors)", async () => {
    const page = await openPage(appOrigin);
    expect(await browserPut(page, await putUrl(readOnly, "put/denied.txt"), "x")).toBe(403);
    expect(await browserPost(page, await postForm(readOnly, "form/"), "denied.txt", "x")).toBe(403);
  }, 60_000);

  it("an origin the CORS rules do not name cannot read the answer", async () => {
    const page = await openPage(otherOrigin);
    expect(await browserPut(page, await putUrl(writer, "put/other.txt"), "x")).toBe("blocked");
  }, 60_000);
});
