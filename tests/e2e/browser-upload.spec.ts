// Browser uploads from a web application on another origin, as issue 13 asks: the admin sets the
// bucket's CORS rules on the bucket page and signs a presigned PUT and a POST form with the key
// page's helper; a page served from another origin (a plain node:http server here) uploads with
// both (fetch, and a real HTML form submission) and downloads the files back. A key without
// Write gets no URL from the helper, and what its own secret signs is refused by the gateway.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect, type Page, test } from "@playwright/test";
import { e2ePorts } from "./env";
import { adminWithProject, takeIssuedSecret } from "./fixtures";

type Creds = { accessKeyId: string; secret: string };
type Form = { url: string; fields: Record<string, string> };

const gatewayUrl = () => `http://localhost:${e2ePorts().gateway}`;
const client = (c: Creds) =>
  new S3Client({ endpoint: gatewayUrl(), region: "local", forcePathStyle: true, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secret } });
const codeOf = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

let app: Server;
let appOrigin: string;

test.beforeAll(async () => {
  // The web application: another origin than the console and the gateway.
  app = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>App</title><h1>Uploader</h1>"));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
test.afterAll(async () => { await new Promise((resolve) => app.close(resolve)); });

async function createSubKey(page: Page, projectUrl: string, name: string, preset: "Object Read & Write" | "Object Read Only"): Promise<Creds> {
  await page.goto(`${projectUrl}/keys`);
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill(name);
  await page.getByRole("button", { name: preset }).click();
  await page.getByRole("button", { name: "Create sub key" }).click();
  return takeIssuedSecret(page);
}

/** Signs an upload with the key page's "Presigned upload" helper; returns the shown snippet. */
async function signWithHelper(page: Page, method: "PUT" | "POST", objectKey: string): Promise<string> {
  await page.locator("#presign-method").selectOption(method);
  await page.locator("#presign-key").fill(objectKey);
  await page.getByRole("button", { name: "Sign upload" }).click();
  const block = page.getByTestId("presigned-upload");
  await expect(block).toContainText(method === "PUT" ? "Presigned PUT" : "POST form");
  return (await block.locator("code").textContent())!;
}

function formFromSnippet(html: string): Form {
  const url = /action="([^"]+)"/.exec(html)![1];
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  return { url, fields };
}

/** In the app page: PUT a text with fetch; the status, ETag (exposed by the rules) and body. */
const putFromPage = (page: Page, url: string, text: string) =>
  page.evaluate(async ([u, t]) => {
    const r = await fetch(u, { method: "PUT", body: new Blob([t], { type: "text/plain" }) });
    return { status: r.status, etag: r.headers.get("etag"), text: await r.text() };
  }, [url, text] as const);

/** In the app page: POST the form's fields and a file with fetch (multipart/form-data). */
const postFromPage = (page: Page, form: Form, fileName: string, text: string) =>
  page.evaluate(async ([f, n, t]) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(f.fields)) body.append(k, v);
    body.append("file", new File([t], n, { type: "text/plain" }));
    const r = await fetch(f.url, { method: "POST", body });
    return { status: r.status, etag: r.headers.get("etag"), text: await r.text() };
  }, [form, fileName, text] as const);

/** In the app page: GET a (presigned) URL; the status and body as text. */
const getFromPage = (page: Page, url: string) =>
  page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, text: await r.text() };
  }, url);

/** A real HTML form, as the helper's snippet shows it, submitted with a chosen file. */
async function submitRealForm(page: Page, form: Form, fileName: string, text: string) {
  await page.evaluate((f) => {
    for (const old of document.querySelectorAll("form")) old.remove();
    const el = document.createElement("form");
    Object.assign(el, { action: f.url, method: "post", enctype: "multipart/form-data" });
    for (const [name, value] of Object.entries(f.fields)) el.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
    el.append(Object.assign(document.createElement("input"), { type: "file", name: "file" }));
    el.append(Object.assign(document.createElement("button"), { textContent: "Upload" }));
    document.body.append(el);
  }, form);
  await page.locator('input[type="file"]').setInputFiles({ name: fileName, mimeType: "text/plain", buffer: Buffer.from(text) });
  const answer = page.waitForResponse((r) => r.url() === form.url && r.request().method() === "POST");
  await page.getByRole("button", { name: "Upload" }).click();
  return answer;
}

test("a page on another origin uploads with a presigned PUT and a POST form and downloads back; a key without Write is refused in both", async ({ page, browser }) => {
  const bucket = `web-${Date.now()}`;
  const { projectUrl } = await adminWithProject(page, bucket);

  // CORS rules for the app's origin, saved on the console's bucket page.
  await page.getByRole("link", { name: bucket }).click();
  await expect(page.getByRole("heading", { name: bucket })).toBeVisible();
  await page.getByLabel("CORS rules (JSON)").fill(JSON.stringify({
    CORSRules: [{ AllowedOrigins: [appOrigin], AllowedMethods: ["GET", "PUT", "POST"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 600 }],
  }));
  await page.getByRole("button", { name: "Save CORS rules" }).click();
  await expect(page.getByText("Pages on these origins may call the gateway")).toBeVisible();

  const writer = await createSubKey(page, projectUrl, "web-writer", "Object Read & Write");
  const reader = await createSubKey(page, projectUrl, "web-reader", "Object Read Only");

  // The key page's helper signs a PUT URL and a POST form (a prefix: the file's name is appended).
  await page.getByTestId("key-row-web-writer").getByRole("link", { name: "web-writer" }).click();
  const putUrl = JSON.parse(/fetch\(("[^"]+")/.exec(await signWithHelper(page, "PUT", "web/put.txt"))![1]) as string;
  expect(putUrl.startsWith(`${gatewayUrl()}/${bucket}/web/put.txt?`)).toBe(true);
  const postForm = formFromSnippet(await signWithHelper(page, "POST", "web/"));
  expect(postForm.fields).toHaveProperty("Policy");

  const appPage = await (await browser.newContext()).newPage();
  await appPage.goto(appOrigin);
  await expect(appPage.getByRole("heading", { name: "Uploader" })).toBeVisible();

  // Presigned PUT with fetch (a preflighted cross-origin request), then downloaded back.
  const put = await putFromPage(appPage, putUrl, "uploaded with a presigned PUT");
  expect(put.status, put.text).toBe(200);
  expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
  const download = async (key: string, creds = writer) =>
    getFromPage(appPage, await getSignedUrl(client(creds), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 }));
  expect(await download("web/put.txt")).toEqual({ status: 200, text: "uploaded with a presigned PUT" });

  // The POST form with fetch, and as a real HTML form submission; both downloaded back.
  const posted = await postFromPage(appPage, postForm, "fetched.txt", "uploaded with a POST form (fetch)");
  expect(posted.status, posted.text).toBe(204);
  expect(await download("web/fetched.txt")).toEqual({ status: 200, text: "uploaded with a POST form (fetch)" });
  const submitted = await submitRealForm(appPage, postForm, "submitted.txt", "uploaded with a POST form (submit)");
  expect(submitted.status()).toBe(204);
  expect(await download("web/submitted.txt")).toEqual({ status: 200, text: "uploaded with a POST form (submit)" });

  // A key without Write: the helper signs nothing for it...
  await page.goto(`${projectUrl}/keys`);
  await page.getByTestId("key-row-web-reader").getByRole("link", { name: "web-reader" }).click();
  await page.locator("#presign-key").fill("web/denied.txt");
  await page.getByRole("button", { name: "Sign upload" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This key cannot upload there" })).toBeVisible();
  await expect(page.getByTestId("presigned-upload")).toHaveCount(0);

  // ...and what its own secret signs is refused, in both ways; the page can read the S3 error.
  const deniedUrl = await getSignedUrl(client(reader), new PutObjectCommand({ Bucket: bucket, Key: "web/denied.txt" }), { expiresIn: 300 });
  const deniedPut = await putFromPage(appPage, deniedUrl, "must not land");
  expect([deniedPut.status, codeOf(deniedPut.text)]).toEqual([403, "AccessDenied"]);
  const deniedForm = await createPresignedPost(client(reader), { Bucket: bucket, Key: "web/${filename}", Conditions: [["starts-with", "$key", "web/"]], Expires: 300 });
  const deniedPost = await postFromPage(appPage, deniedForm, "denied.txt", "must not land");
  expect([deniedPost.status, codeOf(deniedPost.text)]).toEqual([403, "AccessDenied"]);
  const deniedSubmit = await submitRealForm(appPage, deniedForm, "denied.txt", "must not land");
  expect([deniedSubmit.status(), codeOf(await deniedSubmit.text())]).toEqual([403, "AccessDenied"]);
  await appPage.goto(appOrigin); // the refused form navigated to the gateway's error document
  // Nothing landed; the reader itself still reads what the writer uploaded.
  expect((await download("web/denied.txt")).status).toBe(404);
  expect(await download("web/put.txt", reader)).toEqual({ status: 200, text: "uploaded with a presigned PUT" });
});
