import { expect, test } from "@playwright/test";
import { adminWithProject, takeIssuedSecret } from "./fixtures";

test("an admin creates versioned and Object Lock buckets, then manages versioning and default retention on the bucket page", async ({ page }) => {
  const stamp = Date.now();
  const plain = `plain-${stamp}`;
  const locked = `locked-${stamp}`;
  const { projectUrl } = await adminWithProject(page, plain);

  // Object Lock implies versioning: the versioning box is then ticked and cannot be unticked.
  const versioningBox = page.getByRole("checkbox", { name: /^Enable versioning/ });
  const lockBox = page.getByRole("checkbox", { name: /^Enable Object Lock/ });
  await expect(page.getByText("it cannot be turned off later")).toBeVisible();
  await page.getByLabel("New bucket").fill(locked);
  await lockBox.check();
  await expect(versioningBox).toBeChecked();
  await expect(versioningBox).toBeDisabled();
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByRole("cell", { name: locked })).toBeVisible();
  await expect(lockBox).not.toBeChecked();
  // The list shows each bucket's versioning state and an Object Lock badge.
  const lockedRow = page.getByRole("row").filter({ hasText: locked });
  await expect(lockedRow.getByText("Enabled", { exact: true })).toBeVisible();
  await expect(lockedRow.getByText("Object Lock", { exact: true })).toBeVisible();
  const plainRow = page.getByRole("row").filter({ hasText: plain });
  await expect(plainRow.getByText("Unversioned", { exact: true })).toBeVisible();
  await expect(plainRow.getByText("Object Lock", { exact: true })).toHaveCount(0);

  // The Object Lock bucket: versioning Enabled and not suspendable; set a default retention.
  await page.getByRole("link", { name: locked }).click();
  await expect(page.getByRole("heading", { name: locked })).toBeVisible();
  const versioning = page.getByTestId("bucket-versioning");
  const objectLock = page.getByTestId("bucket-object-lock");
  await expect(versioning).toContainText("Enabled");
  await expect(versioning.getByRole("button", { name: "Suspend versioning" })).toHaveCount(0);
  await expect(versioning).toContainText("cannot be suspended");
  await expect(objectLock).toContainText("Enabled");
  await expect(page.getByTestId("default-retention")).toHaveText("none");
  await page.getByLabel("Default retention").selectOption("GOVERNANCE");
  await page.getByLabel("Period").fill("0");
  await page.getByRole("button", { name: "Save default retention" }).click();
  await expect(page.getByText("At least 1.")).toBeVisible();
  await page.getByLabel("Period").fill("30");
  await page.getByRole("button", { name: "Save default retention" }).click();
  await expect(page.getByTestId("default-retention")).toHaveText("GOVERNANCE, 30 days");
  await page.reload();
  await expect(page.getByTestId("default-retention")).toHaveText("GOVERNANCE, 30 days");

  // The plain bucket: Unversioned → Enabled (after a confirmation) → Suspended; never back.
  await page.goto(projectUrl);
  await page.getByRole("link", { name: plain }).click();
  await expect(versioning).toContainText("Unversioned");
  await expect(objectLock).toContainText("Not enabled");
  await versioning.getByRole("button", { name: "Enable versioning" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("can never return to unversioned");
  await dialog.getByRole("button", { name: "Enable versioning" }).click();
  await expect(versioning.getByText("Enabled", { exact: true })).toBeVisible();
  await versioning.getByRole("button", { name: "Suspend versioning" }).click();
  await dialog.getByRole("button", { name: "Suspend versioning" }).click();
  await expect(versioning.getByText("Suspended", { exact: true })).toBeVisible();
  await expect(versioning.getByRole("button", { name: "Enable versioning" })).toBeVisible();
  await page.goto(`${projectUrl}/events`);
  await expect(page.getByText(`suspended versioning of bucket ${plain}`)).toBeVisible();
});

test("the sub key form offers every granular permission under its basic one, usable only with it", async ({ page }) => {
  const { projectUrl } = await adminWithProject(page, `perm-${Date.now()}`);
  await page.goto(`${projectUrl}/keys`);
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  const groups = {
    read: ["Read versions", "Read retention", "Read legal hold"],
    write: ["List multipart uploads", "Set retention", "Set legal hold"],
    delete: ["Delete versions", "Bypass governance retention"],
  };
  for (const [basic, labels] of Object.entries(groups)) {
    const group = page.getByTestId(`permission-group-${basic}`);
    for (const label of labels) await expect(group.getByRole("checkbox", { name: new RegExp(`^${label}`) })).toBeVisible();
  }
  const write = page.getByRole("checkbox", { name: /^Write/ });
  const setRetention = page.getByRole("checkbox", { name: /^Set retention/ });
  await expect(setRetention).toBeDisabled();
  await expect(page.getByTestId("permission-group-write")).toContainText("Needs Write.");
  await write.check();
  await setRetention.check();
  await write.uncheck(); // drops the granular ones that need it
  await expect(setRetention).not.toBeChecked();
  await expect(setRetention).toBeDisabled();

  await page.getByLabel("Sub key name").fill("retention-reader");
  await page.getByRole("button", { name: "Object Read Only" }).click();
  await page.getByRole("checkbox", { name: /^Read retention/ }).check();
  await page.getByRole("checkbox", { name: /^Read legal hold/ }).check();
  await page.getByRole("button", { name: "Create sub key" }).click();
  await takeIssuedSecret(page);
  await page.reload();
  await expect(page.getByTestId("key-row-retention-reader")).toContainText("Read, List, Read retention, Read legal hold");
});
