import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { expect, test, type Page } from "@playwright/test";
import { createSubKey } from "./console-fixtures";
import { e2ePorts } from "./env";
import { adminWithProject, takeIssuedSecret } from "./fixtures";

const client = (creds: { accessKeyId: string; secret: string }) => new S3Client({
  endpoint: `http://127.0.0.1:${e2ePorts().gateway}`, region: "local", forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret },
});

/** The S3 error code of a request that must fail. */
async function refusedWith(request: Promise<unknown>) {
  const error = await request.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(S3ServiceException);
  return (error as S3ServiceException).name;
}

/** The key page's "Last used" fact. */
const lastUsed = (page: Page) => page.locator("dt", { hasText: "Last used" }).locator("xpath=following-sibling::dd");

/** Waits until the gateway's batched event writer has recorded a request on the key's events page. */
async function waitForRequestEvent(page: Page, eventsUrl: string, pattern: RegExp) {
  await expect(async () => {
    await page.goto(eventsUrl);
    expect(await page.locator("main").innerText()).toMatch(pattern);
  }).toPass({ timeout: 20_000 });
}

test("journey 9: \"Last used\" counts only allowed requests; refused ones (IP limit) leave it unchanged and stay in the events", async ({ page }) => {
  const bucket = `used-${Date.now()}`;
  const { projectUrl } = await adminWithProject(page, bucket);
  await page.goto(`${projectUrl}/keys`);

  // A key refused from its first request on (outside its source IP range) is never "used".
  await createSubKey(page, { name: "walled", cidr: "10.0.0.0/8" });
  const walled = await takeIssuedSecret(page);
  expect(await refusedWith(client(walled).send(new ListObjectsV2Command({ Bucket: bucket })))).toBe("AccessDenied");
  await page.getByTestId("key-row-walled").getByRole("link", { name: "walled" }).click();
  await page.waitForURL(/\/keys\/[^/]+$/); // the key page, not the list the click started from
  const walledUrl = new URL(page.url()).pathname;
  await waitForRequestEvent(page, `${walledUrl}/events`, /ListObjectsV2.*→ 403 AccessDenied/);
  await page.goto(walledUrl);
  await expect(lastUsed(page)).toHaveText("Never");
  await page.goto(`${projectUrl}/keys`);
  await expect(page.getByTestId("key-row-walled")).toContainText("Never");

  // A key used from an allowed address, then fenced off: the refused request does not move "Last used".
  await createSubKey(page, { name: "fenced", cidr: "127.0.0.1/32" });
  const fenced = await takeIssuedSecret(page);
  await client(fenced).send(new ListObjectsV2Command({ Bucket: bucket }));
  await page.getByTestId("key-row-fenced").getByRole("link", { name: "fenced" }).click();
  await page.waitForURL(/\/keys\/[^/]+$/); // the key page, not the list the click started from
  const fencedUrl = new URL(page.url()).pathname;
  await waitForRequestEvent(page, `${fencedUrl}/events`, /ListObjectsV2.*→ 200/);
  await page.goto(fencedUrl);
  await expect(lastUsed(page)).toContainText("ListObjectsV2 from 127.0.0.1");
  const usedAt = await lastUsed(page).locator("time").getAttribute("datetime");
  expect(usedAt).toBeTruthy();

  await page.getByRole("button", { name: "Edit name, permissions and limits" }).click();
  await page.getByLabel("Source IP ranges (optional)").fill("10.0.0.0/8");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("10.0.0.0/8").first()).toBeVisible();
  expect(await refusedWith(client(fenced).send(new GetObjectCommand({ Bucket: bucket, Key: "report.csv" })))).toBe("AccessDenied");
  await waitForRequestEvent(page, `${fencedUrl}/events`, /GetObject.*→ 403 AccessDenied/);
  await page.goto(fencedUrl);
  await expect(lastUsed(page)).toContainText("ListObjectsV2 from 127.0.0.1");
  await expect(lastUsed(page).locator("time")).toHaveAttribute("datetime", usedAt!);

  // The project's events page charts both outcomes (one aggregated query) and filters by key name.
  await page.goto(`${projectUrl}/events`);
  const chart = page.getByRole("figure");
  await expect(chart).toContainText("Allowed 1");
  await expect(chart).toContainText("Denied 2");
  await page.getByLabel("Key", { exact: true }).selectOption({ label: "fenced" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`keyId=${fenced.accessKeyId}`));
  const events = page.getByRole("table");
  await expect(events).toContainText(/GetObject.*→ 403 AccessDenied/);
  await expect(events).not.toContainText("walled");
});
