import { expect, test } from "@playwright/test";
import { createOrganization, linkFromOutbox, newSignedInPage, signIn, uniqueEmail } from "./fixtures";

test("admin signs in, creates an organization, project and bucket, and invites a MEMBER and a MEMBER_PLUS", async ({ page, browser }) => {
  const adminEmail = uniqueEmail("admin");
  await signIn(page, adminEmail);
  const orgId = await createOrganization(page, "E2E Org");

  // Project: a bad name is a field error, a good one appears in the list.
  await page.getByLabel("New project").fill("x");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("Use at least 2 characters.")).toBeVisible();
  await page.getByLabel("New project").fill("website");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: "website" }).first().click();
  await expect(page.getByRole("heading", { name: "website" })).toBeVisible();
  const projectUrl = page.url();

  // Bucket: S3 naming rules checked on the server, shown on the field.
  await page.getByLabel("New bucket").fill("Bad_Name");
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.locator("#bucket-name")).toHaveAttribute("aria-invalid", "true");
  const bucket = `e2e-${Date.now()}`;
  await page.getByLabel("New bucket").fill(bucket);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByRole("cell", { name: bucket })).toBeVisible();

  // Invitations for a MEMBER and a MEMBER_PLUS.
  const memberEmail = uniqueEmail("member");
  const plusEmail = uniqueEmail("plus");
  await page.goto(`/orgs/${orgId}/members`);
  for (const [email, role] of [[memberEmail, "MEMBER"], [plusEmail, "MEMBER_PLUS"]] as const) {
    await page.getByLabel("Invite by email").fill(email);
    await page.getByLabel("Role", { exact: true }).first().selectOption(role);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("cell", { name: email })).toBeVisible();
  }

  // Each invitee signs in and accepts through the emailed link.
  for (const email of [memberEmail, plusEmail]) {
    const invite = await linkFromOutbox(email, "invitation");
    const p = await newSignedInPage(browser, email);
    await p.goto(invite);
    await p.getByRole("button", { name: "Accept invitation" }).click();
    await expect(p).toHaveURL(new RegExp(`/orgs/${orgId}$`));
    await p.context().close();
  }
  await page.reload();
  await expect(page.getByTestId(`member-${memberEmail}`)).toBeVisible();
  await expect(page.getByTestId(`member-${plusEmail}`)).toBeVisible();

  // A MEMBER sees no key pages and is refused on admin and key pages.
  const member = await newSignedInPage(browser, memberEmail);
  await member.goto(projectUrl);
  await expect(member.getByRole("heading", { name: "website" })).toBeVisible();
  await expect(member.getByRole("link", { name: "Keys" })).toHaveCount(0);
  await expect(member.getByRole("button", { name: "Create bucket" })).toHaveCount(0);
  for (const path of [`${projectUrl}/keys`, `${projectUrl}/my-keys`, `/orgs/${orgId}/members`]) {
    const res = await member.goto(path);
    expect(res?.status(), path).toBe(403);
  }
  // A MEMBER_PLUS sees key pages but not the admin ones.
  const plus = await newSignedInPage(browser, plusEmail);
  await plus.goto(projectUrl);
  await expect(plus.getByRole("link", { name: "Keys", exact: true })).toBeVisible();
  expect((await plus.goto(`/orgs/${orgId}/members`))?.status()).toBe(403);
});

test("unknown ids give 404, not 500", async ({ page }) => {
  await signIn(page, uniqueEmail("lost"));
  const orgId = await createOrganization(page, "Lost Org");
  expect((await page.goto(`/orgs/${orgId}/projects/does-not-exist`))?.status()).toBe(404);
  expect((await page.goto(`/orgs/not-an-org`))?.status()).toBe(404);
  expect((await page.goto(`/invite/not-a-token`))?.status()).toBe(200);
  await expect(page.getByText("This invitation link is not valid.")).toBeVisible();
});
