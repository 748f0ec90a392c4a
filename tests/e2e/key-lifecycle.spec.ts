import { expect, test } from "@playwright/test";
import { adminWithProject, takeIssuedSecret } from "./fixtures";

test("disable and enable a key from its options menu, rotate with a 24-hour overlap and see both secrets on the key page", async ({ page }) => {
  const { projectUrl } = await adminWithProject(page, `life-${Date.now()}`);
  await page.goto(`${projectUrl}/keys`);
  await page.getByLabel("Master key name").fill("deployer");
  await page.getByRole("button", { name: "Create master key" }).click();
  const first = await takeIssuedSecret(page);

  const row = page.getByTestId("key-row-deployer");
  const statusTab = (name: string) => page.getByRole("navigation", { name: "Key status" }).getByRole("link", { name });
  await row.getByRole("button", { name: "Options for deployer" }).click();
  await page.getByRole("menuitem", { name: "Disable" }).click();
  await page.getByRole("button", { name: "Disable key" }).click();
  await expect(row).toHaveCount(0); // the default view lists active keys only
  await statusTab("Disabled").click();
  await expect(row).toContainText("Disabled");
  await row.getByRole("button", { name: "Options for deployer" }).click();
  await page.getByRole("menuitem", { name: "Enable" }).click();
  await page.getByRole("button", { name: "Enable key" }).click();
  await expect(row).toHaveCount(0);
  await statusTab("Active").click();
  await expect(row).toContainText("Active");

  await row.getByRole("link", { name: "deployer" }).click();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByLabel("Old secret").selectOption("24h");
  await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
  const second = await takeIssuedSecret(page);
  expect(second.accessKeyId).toBe(first.accessKeyId);
  await expect(page.getByTestId("secret-last4")).toHaveText(`••••${second.secret.slice(-4)}`);
  const banner = page.getByTestId("overlap-banner");
  await expect(banner).toContainText(`Previous secret ••••${first.secret.slice(-4)} valid until`);
  await expect(banner).toContainText("(in 1 day)"); // 24 hours from now

  await banner.getByRole("button", { name: "End overlap now" }).click();
  await page.getByRole("button", { name: "End overlap" }).click();
  await expect(page.getByTestId("overlap-banner")).toHaveCount(0);
  await expect(page.getByText(`the previous secret ••••${first.secret.slice(-4)} no longer works`)).toBeVisible();
});
