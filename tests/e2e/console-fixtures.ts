import { expect, type Browser, type Page } from "@playwright/test";
import { linkFromOutbox, newSignedInPage, uniqueEmail } from "./fixtures";

/** Admin invites an address; returns the email and the invitation link (nobody accepts yet). */
export async function invite(admin: Page, orgId: string, role: "MEMBER" | "MEMBER_PLUS" | "ADMIN", label = role.toLowerCase()) {
  const email = uniqueEmail(label);
  await admin.goto(`/orgs/${orgId}/members`);
  await admin.getByLabel("Invite by email").fill(email);
  await admin.getByLabel("Role", { exact: true }).first().selectOption(role);
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin.getByRole("cell", { name: email })).toBeVisible();
  return { email, link: await linkFromOutbox(email, "invitation") };
}

/** The invitee signs in and joins from onboarding's invitation list. */
export async function joinFromOnboarding(browser: Browser, email: string, orgName: string) {
  const page = await newSignedInPage(browser, email);
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByRole("button", { name: `Join ${orgName}` }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+$/);
  return page;
}

/** Opens the sub key form, fills name and preset, optionally an owner, bucket, prefix; creates it. */
export async function createSubKey(page: Page, opts: { name: string; owner?: string; bucket?: string; prefix?: string; cidr?: string }) {
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill(opts.name);
  await page.getByRole("button", { name: "Object Read Only" }).click();
  if (opts.owner) await page.getByLabel("Owner").selectOption({ label: opts.owner });
  if (opts.bucket) {
    await page.getByLabel("Only these buckets").check();
    await page.getByLabel(opts.bucket).check();
  }
  if (opts.prefix) await page.getByLabel("Object key prefix (optional)").fill(opts.prefix);
  if (opts.cidr) await page.getByLabel("Source IP ranges (optional)").fill(opts.cidr);
  await page.getByRole("button", { name: "Create sub key" }).click();
}

/** Opens a key row's ⋮ menu with the keyboard and picks an item. */
export async function pickFromKeyMenu(page: Page, keyName: string, item: "View" | "Rotate" | "Share" | "Revoke") {
  const trigger = page.getByRole("button", { name: `Options for ${keyName}` });
  await trigger.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu");
  await expect(menu).toBeVisible();
  // Opened from the keyboard, the menu focuses its first item (asynchronously: wait for it), then
  // each ArrowDown moves one item on; wait for every move so no key press is lost or overshoots.
  const items = menu.getByRole("menuitem");
  await expect(items.first()).toBeFocused();
  const names = (await items.allInnerTexts()).map((n) => n.trim());
  const target = names.indexOf(item);
  expect(target, `menu items: ${names.join(", ")}`).toBeGreaterThanOrEqual(0);
  for (let i = 1; i <= target; i++) {
    await page.keyboard.press("ArrowDown");
    await expect(items.nth(i)).toBeFocused();
  }
  await expect(menu.getByRole("menuitem", { name: item })).toBeFocused();
  await page.keyboard.press("Enter");
}
