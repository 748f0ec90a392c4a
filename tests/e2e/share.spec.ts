import { expect, test } from "@playwright/test";
import { clientEnv, ensureTools, run } from "../integration/cli-tools";
import { e2ePorts } from "./env";
import { adminWithProject, linkFromOutbox, takeIssuedSecret, uniqueEmail } from "./fixtures";

test("admin shares a read-only sub key; the recipient retrieves it once and uses it with the aws CLI; events and CSV show it all", async ({ page, browser }) => {
  const aws = ensureTools(["aws"]).aws;
  test.skip(!aws, "the aws CLI (Debian package awscli) is not installed");
  const bucket = `share-${Date.now()}`;
  const { orgId } = await adminWithProject(page, bucket);
  await page.goto(`${new URL(page.url()).pathname}/keys`);
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill("shared-reader");
  await page.getByRole("button", { name: "Object Read Only" }).click();
  await page.getByRole("button", { name: "Create sub key" }).click();
  const issued = await takeIssuedSecret(page);

  // Share by email from the key's page.
  await page.getByRole("link", { name: "shared-reader" }).click();
  const recipient = uniqueEmail("recipient");
  const before = new Date();
  await page.getByRole("button", { name: "Share by email" }).click();
  await page.getByLabel("Recipient email").fill(recipient);
  await page.getByLabel("Message").fill("For the nightly backup job");
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByTestId("key-shares")).toContainText(recipient);
  const keyUrl = new URL(page.url()).pathname;

  // The recipient (not signed in) opens the link and reveals the key once.
  const link = await linkFromOutbox(recipient, "key-share", before);
  expect(link).not.toContain(issued.secret);
  const other = await browser.newContext();
  const rp = await other.newPage();
  await rp.goto(link);
  await expect(rp.getByTestId("share-details")).toContainText("shared-reader");
  await rp.getByLabel("Your email address").fill(recipient);
  await rp.getByRole("button", { name: "Reveal the key" }).click();
  await rp.getByRole("button", { name: "Show secret" }).click();
  const secret = (await rp.getByTestId("shared-secret").textContent())!.trim();
  expect(secret).toBe(issued.secret);
  const accessKeyId = (await rp.getByTestId("shared-access-key-id").textContent())!.trim();

  // The key works with the aws CLI: reads allowed, writes denied.
  const endpoint = `http://127.0.0.1:${e2ePorts().gateway}`;
  const { env } = clientEnv(endpoint, { accessKeyId, secret });
  const ls = await run([...aws!, "s3api", "list-objects-v2", "--bucket", bucket, "--endpoint-url", endpoint], { env });
  expect(ls.code, ls.stderr).toBe(0);
  const put = await run([...aws!, "s3api", "put-object", "--bucket", bucket, "--key", "x.txt", "--endpoint-url", endpoint], { env });
  expect(put.code).not.toBe(0);
  expect(put.stderr).toContain("AccessDenied");

  // Opening the link again reveals nothing.
  await rp.goto(link);
  await expect(rp.getByTestId("share-state")).toHaveAttribute("data-state", "used");
  await expect(rp.getByTestId("shared-secret")).toHaveCount(0);
  await other.close();

  // The key's events tab shows the share, the retrieval and the CLI's requests with their outcome.
  await expect(async () => {
    await page.goto(`${keyUrl}/events`);
    const text = await page.locator("main").innerText();
    expect(text).toMatch(/shared shared-reader with/);
    expect(text).toMatch(/retrieved shared-reader/);
    expect(text).toMatch(/ListObjectsV2.*→ 200/);
    expect(text).toMatch(/PutObject.*→ 403 AccessDenied/);
  }).toPass({ timeout: 20_000 });

  const exportHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await (await page.request.get(exportHref!)).text();
  for (const needle of ["key.shared", "key.share_retrieved", "ListObjectsV2", "PutObject", "AccessDenied"]) expect(csv).toContain(needle);
  expect(csv).not.toContain(secret);
  expect(orgId).toBeTruthy();
});
