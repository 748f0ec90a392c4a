import { randomUUID } from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";
import { waitForEmail } from "../../lib/email/outbox";
import { e2eDataDir } from "./env";

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@e2e.test`;

/** Reads the newest email of a kind sent to an address from the outbox, returns its first link. */
export async function linkFromOutbox(to: string, tag: "sign-in" | "invitation" | "key-share" | "expiry-reminder", after?: Date) {
  const email = await waitForEmail(e2eDataDir(), { to, tag, after, timeoutMs: 15_000 });
  expect(email.links.length).toBeGreaterThan(0);
  return email.links[0];
}

/** Signs in through the real magic-link flow: form → outbox → link. */
export async function signIn(page: Page, email: string) {
  const before = new Date();
  await page.goto("/signin");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = await linkFromOutbox(email, "sign-in", before);
  await page.goto(link);
}

export async function newSignedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Creates an organization through onboarding; returns its id from the URL. */
export async function createOrganization(page: Page, name: string): Promise<string> {
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Organization name").fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+$/);
  return new URL(page.url()).pathname.split("/")[2];
}

/** A signed-in admin with an organization, a project and one bucket; returns the project URL. */
export async function adminWithProject(page: Page, bucket: string) {
  await signIn(page, uniqueEmail("admin"));
  const orgId = await createOrganization(page, "Keys Org");
  await page.getByLabel("New project").fill("assets");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: "assets" }).first().click();
  await expect(page.getByRole("heading", { name: "assets" })).toBeVisible();
  const projectUrl = new URL(page.url()).pathname;
  await page.getByLabel("New bucket").fill(bucket);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByRole("cell", { name: bucket })).toBeVisible();
  return { orgId, projectUrl };
}

/** Reads the secret from the creation dialog, confirms it was saved and closes the dialog. */
export async function takeIssuedSecret(page: Page) {
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("This is the only time the secret is shown.", { exact: false })).toBeVisible();
  const accessKeyId = (await dialog.getByTestId("issued-access-key-id").textContent())!.trim();
  // The secret starts hidden behind the eye toggle.
  await expect(dialog.getByTestId("issued-secret")).not.toContainText(/kgs_/);
  await dialog.getByRole("button", { name: "Show secret" }).click();
  const secret = (await dialog.getByTestId("issued-secret").textContent())!.trim();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeDisabled();
  await dialog.getByLabel("I have saved the secret").check();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
  return { accessKeyId, secret };
}

/** The admin invites a new address with a role; that person signs in and accepts. Returns their page. */
export async function inviteAndJoin(admin: Page, browser: Browser, orgId: string, role: "MEMBER" | "MEMBER_PLUS" | "ADMIN") {
  const email = uniqueEmail(role.toLowerCase());
  await admin.goto(`/orgs/${orgId}/members`);
  await admin.getByLabel("Invite by email").fill(email);
  await admin.getByLabel("Role", { exact: true }).first().selectOption(role);
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin.getByRole("cell", { name: email })).toBeVisible();
  const invite = await linkFromOutbox(email, "invitation");
  const page = await newSignedInPage(browser, email);
  await page.goto(invite);
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}$`));
  return page;
}
