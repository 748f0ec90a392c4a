import { expect, test } from "@playwright/test";
import { createSubKey, invite, joinFromOnboarding, pickFromKeyMenu } from "./console-fixtures";
import { adminWithProject, takeIssuedSecret } from "./fixtures";

test("journey 6: key list shows buckets, limits and owner; Active/Expired/Revoked filter; one keyboard-usable ⋮ menu per row", async ({ page }) => {
  const bucket = `list-${Date.now()}`;
  const { projectUrl } = await adminWithProject(page, bucket);
  await page.goto(`${projectUrl}/keys`);
  await createSubKey(page, { name: "scoped", bucket, prefix: "logs/", cidr: "10.0.0.0/8" });
  await takeIssuedSecret(page);
  await createSubKey(page, { name: "doomed" });
  await takeIssuedSecret(page);

  const scoped = page.getByTestId("key-row-scoped");
  await expect(scoped).toContainText(bucket);
  await expect(scoped).toContainText("Prefix logs/");
  await expect(scoped).toContainText("From 10.0.0.0/8");
  await expect(scoped).toContainText("@e2e.test"); // owner column
  // The expiry date stays on one line.
  const date = scoped.getByText(/^\d{4}-\d{2}-\d{2}$/);
  const box = await date.boundingBox();
  expect(box!.height).toBeLessThan(24);

  // A second key with the same name (any case) is refused on the field.
  await createSubKey(page, { name: "SCOPED" });
  await expect(page.getByText("This name is already used by another key of this project")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();

  // Revoke through the ⋮ menu with the keyboard.
  await pickFromKeyMenu(page, "doomed", "Revoke");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Revoke doomed?");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId("key-row-doomed")).toHaveCount(0); // Active is the default filter

  await page.getByRole("navigation", { name: "Key status" }).getByRole("link", { name: "Revoked" }).click();
  const doomed = page.getByTestId("key-row-doomed");
  await expect(doomed).toContainText("Revoked");
  await expect(page.getByTestId("key-row-scoped")).toHaveCount(0);
  await expect(doomed).not.toContainText(/in \d+ (days|hours)/); // no relative expiry for a dead key
  await page.getByRole("button", { name: "Options for doomed" }).click();
  await expect(page.getByRole("menuitem", { name: "Rotate" })).toHaveCount(0);
  await expect(page.getByRole("menuitem", { name: "View" })).toBeVisible();
  await page.keyboard.press("Escape");

  await page.getByRole("navigation", { name: "Key status" }).getByRole("link", { name: "All" }).click();
  await expect(page.getByTestId("key-row-doomed")).toBeVisible();
  await expect(page.getByTestId("key-row-scoped")).toBeVisible();

  // Rotate from the menu: a new secret once, same access key id.
  const before = (await page.getByTestId("key-row-scoped").textContent())!;
  await pickFromKeyMenu(page, "scoped", "Rotate");
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
  const rotated = await takeIssuedSecret(page);
  expect(before).toContain(rotated.accessKeyId);

  // Share from the menu opens the key's share dialog; View opens the key page.
  await pickFromKeyMenu(page, "scoped", "Share");
  await expect(page.getByRole("dialog", { name: "Share scoped by email" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goBack();
  await pickFromKeyMenu(page, "scoped", "View");
  await expect(page.getByRole("heading", { name: "scoped" })).toBeVisible();
  // The sidebar names the key's project.
  await expect(page.getByRole("button", { name: /^Project: assets/ }).first()).toBeVisible();
});

test("journey 8: a region key pair's secret starts hidden and toggles with the eye button", async ({ page: admin, browser }) => {
  const { orgId, projectUrl } = await adminWithProject(admin, `eye-${Date.now()}`);
  const plus = await invite(admin, orgId, "MEMBER_PLUS", "eye");
  const page = await joinFromOnboarding(browser, plus.email, "Keys Org");
  await page.goto(`${projectUrl}/my-keys`);
  await page.getByTestId("region-row-local").getByRole("button", { name: "Create" }).click();
  const dialog = page.getByRole("dialog");
  const secret = dialog.getByTestId("issued-secret");
  await expect(secret).toHaveText(/^•+$/);
  await dialog.getByRole("button", { name: "Show secret" }).click();
  await expect(secret).toHaveText(/^kgs_/);
  await expect(dialog.getByRole("button", { name: "Hide secret" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "Hide secret" }).click();
  await expect(secret).toHaveText(/^•+$/);
  await dialog.getByRole("button", { name: "Show secret" }).click();
  await expect(secret).toHaveText(/^kgs_/);
  await dialog.getByLabel("I have saved the secret").check();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("region-row-local")).toContainText("••••");
});
