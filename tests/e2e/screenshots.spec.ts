// Regenerates the screenshots in docs/ (keys page, a key's events, the sub key form) at 1280 px:
//   KEYGATE_SCREENSHOTS=1 npx playwright test tests/e2e/screenshots.spec.ts
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect, test } from "@playwright/test";
import { createSubKey, invite, pickFromKeyMenu } from "./console-fixtures";
import { e2ePorts } from "./env";
import { adminWithProject, newSignedInPage, takeIssuedSecret } from "./fixtures";

test.skip(!process.env.KEYGATE_SCREENSHOTS, "set KEYGATE_SCREENSHOTS=1 to regenerate docs/*.png");
test.use({ viewport: { width: 1280, height: 860 } });

test("docs screenshots at 1280 px", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const bucket = "media-assets";
  const { orgId, projectUrl } = await adminWithProject(page, bucket);
  const plus = await invite(page, orgId, "MEMBER_PLUS", "dana");
  const dana = await newSignedInPage(browser, plus.email);
  await dana.getByRole("button", { name: "Join Keys Org" }).click();
  await page.goto(`${projectUrl}/keys`);
  await page.getByLabel("Master key name").fill("ci-deploy");
  await page.getByRole("button", { name: "Create master key" }).click();
  await takeIssuedSecret(page);
  await createSubKey(page, { name: "thumbnailer", bucket, prefix: "thumbs/" });
  const sub = await takeIssuedSecret(page);
  await createSubKey(page, { name: "backup-reader", owner: plus.email, cidr: "10.20.0.0/16" });
  await takeIssuedSecret(page);
  await createSubKey(page, { name: "old-importer" });
  await takeIssuedSecret(page);
  await pickFromKeyMenu(page, "old-importer", "Revoke");
  await page.getByRole("button", { name: "Revoke key" }).click();

  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${e2ePorts().gateway}`, region: "local", forcePathStyle: true,
    credentials: { accessKeyId: sub.accessKeyId, secretAccessKey: sub.secret } });
  await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "thumbs/missing.jpg" })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "thumbs/cat.jpg", Body: "x" })).catch(() => undefined);
  await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "originals/cat.jpg" })).catch(() => undefined);

  await page.goto(`${projectUrl}/keys?status=all`);
  await expect(page.getByTestId("key-row-thumbnailer")).toBeVisible();
  await page.screenshot({ path: "docs/keys-page.png", fullPage: true });

  const keyUrl = (await page.getByTestId("key-row-thumbnailer").getByRole("link", { name: "thumbnailer" }).getAttribute("href"))!;
  await expect.poll(async () => {
    await page.goto(`${keyUrl}/events`);
    return page.getByText("GetObject").count();
  }, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: "docs/key-events-page.png", fullPage: true });

  await page.goto(`${projectUrl}/keys`);
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill("uploader");
  const form = page.locator("form", { has: page.getByLabel("Sub key name") });
  // The form is taller than the window: scrolled into view, it would sit under the sticky header.
  await page.addStyleTag({ content: "header { position: static !important; }" });
  await form.screenshot({ path: "docs/sub-key-form.png" });
});
