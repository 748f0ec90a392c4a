import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createSubKey, invite } from "./console-fixtures";
import { e2ePorts } from "./env";
import { createOrganization, signIn, takeIssuedSecret, uniqueEmail } from "./fixtures";

const viewport = { width: 1280, height: 800 };
const stamp = Date.now().toString(36);
// Long values without spaces, the worst case for layout: names at their 64-character limit,
// a 63-character bucket, a user agent of 300 characters and a long object key.
const LONG_ORG = `Organisation-${stamp}-`.padEnd(64, "o");
const LONG_PROJECT = `Project-${stamp}-`.padEnd(64, "p");
const LONG_BUCKET = `bucket-${stamp}-`.padEnd(63, "b");
const LONG_MASTER = `master-${stamp}-`.padEnd(64, "m");
const LONG_SUB = `sub-key-${stamp}-`.padEnd(64, "s");
const LONG_PLUS_SUB = `plus-key-${stamp}-`.padEnd(64, "k");
const LONG_UA = `LongAgent/1.0 ${"(compatible; very-long-user-agent-segment-without-breaks)".repeat(6)}`;
const LONG_OBJECT = `deeply/nested/${"segment-".repeat(30)}file.txt`;

async function pageAt1280(browser: Browser, email?: string) {
  const page = await (await browser.newContext({ viewport })).newPage();
  if (email) await signIn(page, email);
  return page;
}

/** Nothing scrolls sideways: not the page, and no table inside its scroll box. */
async function expectFits(page: Page, url: string) {
  await page.goto(url);
  await page.waitForLoadState("load");
  const overflow = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      // Name the innermost elements that stick out, so a failure says what to fix.
      const wide = Array.from(document.querySelectorAll<HTMLElement>("body *")).filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1);
      const leaves = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other))).slice(0, 3);
      out.push(`page ${root.scrollWidth} > ${root.clientWidth}: ${leaves.map((el) => `${el.tagName.toLowerCase()}.${el.className.toString().slice(0, 50)} "${(el.textContent ?? "").slice(0, 40)}"`).join(" | ")}`);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main *"))) {
      const style = getComputedStyle(el);
      // Code samples (<pre>) scroll by design: wrapping a command would change what is copied by eye.
      if (el.tagName === "PRE") continue;
      if ((style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${el.className.toString().slice(0, 40)} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
  });
  expect(overflow, `${url} scrolls horizontally at 1280 px`).toEqual([]);
}

const hrefOf = async (page: Page, testId: string, name: string) => (await page.getByTestId(testId).getByRole("link", { name }).first().getAttribute("href"))!;

test("no console page scrolls horizontally at 1280 × 800, for any role, with long names and user agents", async ({ browser }) => {
  test.setTimeout(600_000);
  const admin = await pageAt1280(browser, uniqueEmail("wide-admin"));
  const orgId = await createOrganization(admin, LONG_ORG);
  await admin.getByLabel("New project").fill(LONG_PROJECT);
  await admin.getByRole("button", { name: "Create project" }).click();
  await admin.getByRole("link", { name: LONG_PROJECT }).first().click();
  await admin.waitForURL(/\/projects\/[^/]+$/);
  const projectUrl = new URL(admin.url()).pathname;
  await admin.getByLabel("New bucket").fill(LONG_BUCKET);
  await admin.getByRole("button", { name: "Create bucket" }).click();
  await expect(admin.getByRole("cell", { name: LONG_BUCKET })).toBeVisible();

  await admin.goto(`${projectUrl}/keys`);
  await admin.getByLabel("Master key name").fill(LONG_MASTER);
  await admin.getByRole("button", { name: "Create master key" }).click();
  const master = await takeIssuedSecret(admin);
  await createSubKey(admin, { name: LONG_SUB, bucket: LONG_BUCKET, prefix: `${"prefix-".repeat(8)}/`, cidr: "10.0.0.0/8, 192.168.100.0/24, 172.16.0.0/12, 2001:db8::/32" });
  const sub = await takeIssuedSecret(admin);

  // Members of each role, with long-named keys of their own.
  const plus = await invite(admin, orgId, "MEMBER_PLUS", "wide-plus");
  const member = await invite(admin, orgId, "MEMBER", "wide-member");
  const plusPage = await pageAt1280(browser, plus.email);
  await plusPage.getByRole("button", { name: `Join ${LONG_ORG}` }).click();
  await plusPage.waitForURL(/\/orgs\/[^/]+$/);
  await plusPage.goto(`${projectUrl}/my-keys`);
  await plusPage.getByTestId("region-row-local").getByRole("button", { name: "Create" }).click();
  await takeIssuedSecret(plusPage);
  await plusPage.goto(`${projectUrl}/keys`);
  await createSubKey(plusPage, { name: LONG_PLUS_SUB });
  await takeIssuedSecret(plusPage);
  const memberPage = await pageAt1280(browser, member.email);
  await memberPage.getByRole("button", { name: `Join ${LONG_ORG}` }).click();
  await memberPage.waitForURL(/\/orgs\/[^/]+$/);

  // S3 requests with a long user agent and object key: allowed (master) and denied (read-only sub key).
  const s3 = (accessKeyId: string, secretAccessKey: string) => new S3Client({
    endpoint: `http://127.0.0.1:${e2ePorts().gateway}`, region: "local", forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey }, customUserAgent: LONG_UA,
  });
  await s3(master.accessKeyId, master.secret).send(new PutObjectCommand({ Bucket: LONG_BUCKET, Key: LONG_OBJECT, Body: "x" }));
  await expect(s3(sub.accessKeyId, sub.secret).send(new PutObjectCommand({ Bucket: LONG_BUCKET, Key: LONG_OBJECT, Body: "x" }))).rejects.toThrow();
  await expect.poll(async () => {
    await admin.goto(`/orgs/${orgId}/events`);
    return admin.getByText("LongAgent/1.0").count();
  }, { timeout: 30_000 }).toBeGreaterThan(0);

  await admin.goto(`${projectUrl}/keys?status=all`);
  const masterUrl = await hrefOf(admin, `key-row-${LONG_MASTER}`, LONG_MASTER);
  const subUrl = await hrefOf(admin, `key-row-${LONG_SUB}`, LONG_SUB);
  await admin.goto(`/orgs/${orgId}/members`);
  const plusMemberUrl = await hrefOf(admin, `member-${plus.email}`, plus.email);
  await plusPage.goto(`${projectUrl}/keys`);
  const plusSubUrl = await hrefOf(plusPage, `key-row-${LONG_PLUS_SUB}`, LONG_PLUS_SUB);

  const org = `/orgs/${orgId}`;
  const adminPages = [
    org, `${org}/events`, `${org}/events?outcome=denied`, `${org}/members`, plusMemberUrl, `${org}/api-docs`, projectUrl,
    `${projectUrl}/keys`, `${projectUrl}/keys?status=all`, `${projectUrl}/keys?status=revoked`, `${projectUrl}/my-keys`, `${projectUrl}/events`,
    masterUrl, `${masterUrl}/events`, subUrl, `${subUrl}/events`, plusSubUrl, "/onboarding",
  ];
  for (const url of adminPages) await expectFits(admin, url);
  for (const url of [org, `${org}/events`, projectUrl, `${projectUrl}/keys`, `${projectUrl}/my-keys`, `${projectUrl}/events`, plusSubUrl, `${plusSubUrl}/events`]) {
    await expectFits(plusPage, url);
  }
  for (const url of [org, projectUrl, "/onboarding"]) await expectFits(memberPage, url);
  const operator = await pageAt1280(browser, "operator@e2e.test");
  for (const url of ["/operator", "/operator/events", "/onboarding?create"]) await expectFits(operator, url);
  const signedOut = await pageAt1280(browser);
  for (const url of ["/signin", plus.link]) await expectFits(signedOut, url);
});
