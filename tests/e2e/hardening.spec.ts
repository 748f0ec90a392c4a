// Issue 11 end to end, against the real stack (tests/e2e/global-setup.ts runs it with
// KEYGATE_SIGNUP=e2e.test and KEYGATE_TRUSTED_PROXIES=127.0.0.1/32).
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { readOutbox } from "../../lib/email/outbox";
import { e2eDataDir, e2ePorts } from "./env";
import { adminWithProject, linkFromOutbox, takeIssuedSecret, uniqueEmail } from "./fixtures";

const basic = (c: { accessKeyId: string; secret: string }) => `Basic ${Buffer.from(`${c.accessKeyId}:${c.secret}`).toString("base64")}`;
const WEB_KINDS = ["sign-in", "console", "key page", "share page", "API", "CSV export"] as const;

test("security headers on every kind of response; the console works under its CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => void (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text()) && violations.push(m.text())));
  const seen: Record<string, Record<string, string>> = {};
  seen["sign-in"] = (await page.goto("/signin"))!.headers();
  const bucket = `hdr-${Date.now()}`;
  const { orgId, projectUrl } = await adminWithProject(page, bucket); // client-side sign-in form and forms: scripts ran
  seen.console = (await page.goto(`/orgs/${orgId}`))!.headers();

  await page.goto(`${projectUrl}/keys`);
  await page.getByLabel("Master key name").fill("ci");
  await page.getByRole("button", { name: "Create master key" }).click();
  const master = await takeIssuedSecret(page);
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill("shared-reader");
  await page.getByRole("button", { name: "Object Read Only" }).click();
  await page.getByRole("button", { name: "Create sub key" }).click();
  await takeIssuedSecret(page);
  await page.getByRole("link", { name: "shared-reader" }).click();
  await expect(page).toHaveURL(/\/keys\/[^/]+$/);
  seen["key page"] = (await page.reload())!.headers();
  const recipient = uniqueEmail("recipient");
  const before = new Date();
  await page.getByRole("button", { name: "Share by email" }).click();
  await page.getByLabel("Recipient email").fill(recipient);
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByTestId("key-shares")).toContainText(recipient);
  const link = await linkFromOutbox(recipient, "key-share", before);
  seen["share page"] = (await page.request.get(link)).headers();
  const api = await page.request.get("/api/v1/keys", { headers: { authorization: basic(master) } });
  expect(api.status()).toBe(200);
  seen.API = api.headers();
  const csv = await page.request.get(`/orgs/${orgId}/events/export`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  seen["CSV export"] = csv.headers();

  // An uploaded HTML page, served by the gateway.
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${e2ePorts().gateway}`, region: "local", forcePathStyle: true, credentials: { accessKeyId: master.accessKeyId, secretAccessKey: master.secret } });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "frame.html", Body: "<iframe src='/'></iframe><script>alert(1)</script>", ContentType: "text/html" }));
  const objectUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "frame.html" }), { expiresIn: 300 });
  const object = await fetch(objectUrl);
  expect(object.status).toBe(200);
  seen["gateway object"] = Object.fromEntries(object.headers);

  for (const kind of WEB_KINDS) {
    const h = seen[kind];
    expect(h["content-security-policy"], kind).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h["content-security-policy"], kind).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], kind).not.toContain("unsafe-eval");
    expect(h["x-frame-options"], kind).toBe("DENY");
    expect(h["x-content-type-options"], kind).toBe("nosniff");
    expect(h["permissions-policy"], kind).toContain("camera=()");
    expect(h["referrer-policy"], kind).toBe(kind === "share page" ? "no-referrer" : "same-origin");
    expect(h["strict-transport-security"], kind).toBeUndefined(); // KEYGATE_PUBLIC_URL is http here
  }
  expect(seen["gateway object"]["x-content-type-options"]).toBe("nosniff");
  expect(seen["gateway object"]["content-security-policy"]).toBe("sandbox");
  expect(violations).toEqual([]);
  await writeFile(`${e2eDataDir()}/../e2e-response-headers.json`, JSON.stringify(seen, null, 2));
});

/** A raw HTTP request whose head promises `length` bytes; returns the status line the server answers with. */
function statusForPromisedBody(path: string, headers: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(e2ePorts().web), "127.0.0.1");
    let answer = "";
    socket.on("connect", () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);
      socket.write(Buffer.alloc(64 * 1024, 97)); // a first slice; the rest never comes
    });
    socket.on("data", (d) => {
      answer += d;
      if (answer.includes("\r\n")) {
        socket.destroy();
        resolve(answer.split("\r\n")[0]);
      }
    });
    socket.on("error", (err) => (answer ? resolve(answer.split("\r\n")[0]) : reject(err)));
    setTimeout(() => reject(new Error("no answer: the server is reading the body")), 10_000).unref();
  });
}

test("bodies over the limit are refused from their headers, before they are read", async () => {
  const huge = `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${200 * 1024 * 1024}\r\n`;
  expect(await statusForPromisedBody("/api/auth/signin/email", huge)).toBe("HTTP/1.1 413 Payload Too Large");
  expect(await statusForPromisedBody("/share/some-token", huge)).toBe("HTTP/1.1 413 Payload Too Large");
  expect(await statusForPromisedBody("/api/v1/keys", `Content-Type: application/json\r\nContent-Length: ${300 * 1024}\r\n`)).toBe("HTTP/1.1 413 Payload Too Large");
  expect(await statusForPromisedBody("/api/auth/signin/email", "Transfer-Encoding: chunked\r\n")).toBe("HTTP/1.1 411 Length Required");
  // Server actions (any console page): 256 KiB, also before a byte is read.
  expect(await statusForPromisedBody("/orgs/x", `Content-Type: text/plain\r\nNext-Action: x\r\nContent-Length: ${300 * 1024}\r\n`)).toBe("HTTP/1.1 413 Payload Too Large");
});

/** Requests a sign-in link the way next-auth's client does; returns the URL it sends the browser to. */
async function requestSignInLink(request: APIRequestContext, email: string, headers: Record<string, string> = {}) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/signin/email", { form: { email, csrfToken, callbackUrl: "/", json: "true" }, headers });
  return String((await res.json()).url);
}

const sentTo = async (email: string) => (await readOutbox(e2eDataDir())).filter((e) => e.to === email && e.tag === "sign-in").length;

test("sign-in links: limited per recipient and per client address; strangers outside the sign-up policy get none", async ({ request }) => {
  const victim = uniqueEmail("victim");
  const urls = [];
  for (let i = 0; i < 6; i++) urls.push(await requestSignInLink(request, victim));
  expect(urls.slice(0, 5).every((u) => u.includes("/api/auth/verify-request")), urls.join(" ")).toBe(true);
  expect(urls[5]).toContain("error=EmailLimit");
  expect(await sentTo(victim)).toBe(5);

  // One client (behind our trusted proxy), many recipients: the 21st is refused.
  const ip = `198.51.100.${randomBytes(1)[0]}`;
  const fromOneIp = [];
  for (let i = 0; i < 21; i++) fromOneIp.push(await requestSignInLink(request, uniqueEmail("spray"), { "x-forwarded-for": `10.${i}.0.1, ${ip}` }));
  expect(fromOneIp.filter((u) => u.includes("error=EmailLimit"))).toHaveLength(1);
  expect(fromOneIp[20]).toContain("error=EmailLimit");

  const stranger = `someone-${randomBytes(3).toString("hex")}@elsewhere.example`;
  expect(await requestSignInLink(request, stranger)).toContain("error=SignupClosed");
  expect(await sentTo(stranger)).toBe(0);
});

test("the API records the client address resolved through trusted proxies, not a forged X-Forwarded-For", async ({ page }) => {
  const { projectUrl } = await adminWithProject(page, `ip-${Date.now()}`);
  await page.goto(`${projectUrl}/keys`);
  await page.getByLabel("Master key name").fill("ci");
  await page.getByRole("button", { name: "Create master key" }).click();
  const master = await takeIssuedSecret(page);
  const authorization = basic(master);
  // A client forges the left part; our proxy (127.0.0.1, trusted) appended the real 203.0.113.7.
  const created = await page.request.post("/api/v1/keys", {
    headers: { authorization, "x-forwarded-for": "6.6.6.6, 203.0.113.7" }, data: { name: "from-proxy", permissions: ["read"] },
  });
  expect(created.status()).toBe(201);
  const { key } = await created.json();
  const events = await (await page.request.get(`/api/v1/keys/${key.id}/events`, { headers: { authorization } })).text();
  expect(events).toContain("203.0.113.7");
  expect(events).not.toContain("6.6.6.6");
});

test("share reveals: a rotating forged X-Forwarded-For neither escapes the per-IP limit nor lands in the event", async ({ page, browser }) => {
  const { projectUrl } = await adminWithProject(page, `sh-${Date.now()}`);
  await page.goto(`${projectUrl}/keys`);
  await page.getByLabel("Master key name").fill("ci");
  await page.getByRole("button", { name: "Create master key" }).click();
  const authorization = basic(await takeIssuedSecret(page));
  const sub = await page.request.post("/api/v1/keys", { headers: { authorization }, data: { name: "shared", permissions: ["read"] } });
  expect(sub.status()).toBe(201);
  const { key } = await sub.json();
  const before = new Date();
  const links: { to: string; url: string }[] = [];
  for (const label of ["a", "b", "c"]) {
    const to = uniqueEmail(`share-${label}`);
    expect((await page.request.post(`/api/v1/keys/${key.id}/shares`, { headers: { authorization }, data: { recipientEmail: to } })).status()).toBe(201);
    links.push({ to, url: await linkFromOutbox(to, "key-share", before) });
  }

  const rp = await (await browser.newContext()).newPage();
  const attempt = async (url: string, email: string, forwardedFor: string) => {
    await rp.setExtraHTTPHeaders({ "x-forwarded-for": forwardedFor });
    if (rp.url() !== url) await rp.goto(url);
    await rp.getByLabel("Your email address").fill(email);
    const answered = rp.waitForResponse((r) => r.request().method() === "POST" && r.url() === url);
    await rp.getByRole("button", { name: "Reveal the key" }).click();
    await answered;
    // React resets the form once the answer is rendered: an address typed before that would be
    // wiped, and the empty submission would fail validation without counting as an attempt.
    await rp.waitForFunction(() => (document.querySelector<HTMLInputElement>("input[name=email]")?.value ?? "") === "");
  };
  // One client behind our trusted proxy (which appends its address) forges a new left part each
  // time: 10 wrong guesses spread over two links, then the 11th attempt is over the per-IP limit.
  const client = `198.51.100.${randomBytes(1)[0]}`;
  for (let i = 0; i < 10; i++) await attempt(links[i < 5 ? 0 : 1].url, uniqueEmail("guess"), `10.${i}.0.9, ${client}`);
  await attempt(links[2].url, links[2].to, `10.99.0.9, ${client}`);
  await expect(rp.getByRole("alert").filter({ hasText: "Too many attempts from your network" })).toBeVisible();

  // Another client gets the key; the event records the address our proxy saw, not the forged one.
  const other = `203.0.113.${randomBytes(1)[0]}`;
  await attempt(links[2].url, links[2].to, `6.6.6.6, ${other}`);
  await expect(rp.getByTestId("shared-key-revealed")).toBeVisible();
  const { events } = await (await page.request.get(`/api/v1/keys/${key.id}/events`, { headers: { authorization } })).json();
  const retrieved = events.filter((e: { type: string }) => e.type === "key.share_retrieved");
  expect(retrieved.map((e: { ip: string }) => e.ip)).toEqual([other]);
});

test("a NUL character (%00) in an address, or a page cursor the console did not make: 400 or 404, never a server error", async ({ page }) => {
  const { orgId, projectUrl } = await adminWithProject(page, `nul-${Date.now()}`);
  for (const url of [`${projectUrl}/keys?q=%00`, `/orgs/${orgId}/events?actor=%00`, `/orgs/${orgId}/keys/%00/events/export`, "/api/v1/keys/ab%00cd"]) {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(400);
    expect(res.headers()["x-content-type-options"], url).toBe("nosniff");
  }
  expect(await (await page.request.get("/api/v1/keys/ab%00cd")).json()).toEqual({ error: { code: "invalid_input", message: "The address contains a NUL character (%00)." } });
  for (const cursor of ["zzz", Buffer.from("-000001-01-01T00:00:00Z|abc").toString("base64url"), Buffer.from("2026-01-01T00:00:00Z|a\0b").toString("base64url")]) {
    expect((await page.goto(`${projectUrl}/keys?sub=${cursor}`))!.status(), cursor).toBe(404);
    expect((await page.goto(`${projectUrl}/keys?master=${cursor}`))!.status(), cursor).toBe(404);
  }
});
