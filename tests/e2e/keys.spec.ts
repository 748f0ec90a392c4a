import { expect, test } from "@playwright/test";
import { pickFromKeyMenu } from "./console-fixtures";
import { adminWithProject, inviteAndJoin, takeIssuedSecret } from "./fixtures";

test("admin creates a master key and a read-only sub key for one bucket; after reload only the last 4 are shown", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const bucket = `keys-${Date.now()}`;
  const { projectUrl } = await adminWithProject(page, bucket);
  await page.goto(`${projectUrl}/keys`);
  await expect(page.getByText("No active master key")).toBeVisible();

  // A custom expiry in the past is refused on the field.
  await page.getByLabel("Master key name").fill("ci-deploy");
  await page.getByLabel("Expires after").first().selectOption("custom");
  await page.getByLabel("Expiry date").fill("2020-01-01");
  await page.getByRole("button", { name: "Create master key" }).click();
  await expect(page.getByText("The expiry date must be in the future.")).toBeVisible();
  await page.getByLabel("Expires after").first().selectOption("30d");
  await page.getByRole("button", { name: "Create master key" }).click();
  const master = await takeIssuedSecret(page);
  expect(master.accessKeyId).toMatch(/^KG[A-Z2-7]{18}$/);
  expect(master.secret).toMatch(/^kgs_/);

  // A read-only sub key limited to one bucket; the copy button puts the secret on the clipboard.
  await page.getByRole("button", { name: "+ Create a sub key" }).click();
  await page.getByLabel("Sub key name").fill("reader");
  await page.getByRole("button", { name: "Object Read Only" }).click();
  await page.getByLabel("Only these buckets").check();
  await page.getByLabel(bucket).check();
  await page.getByRole("button", { name: "Create sub key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Copy secret access key" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const sub = await takeIssuedSecret(page);
  expect(copied).toBe(sub.secret);

  await page.reload();
  const masterRow = page.getByTestId("key-row-ci-deploy");
  await expect(masterRow).toContainText(master.accessKeyId);
  await expect(masterRow.getByTestId("secret-last4")).toHaveText(`••••${master.secret.slice(-4)}`);
  const subRow = page.getByTestId("key-row-reader");
  await expect(subRow).toContainText(bucket);
  await expect(subRow).toContainText("Object Read Only");
  const html = await page.content();
  expect(html).not.toContain(master.secret);
  expect(html).not.toContain(sub.secret);

  // Edit the sub key later: the change is saved and recorded as key.updated.
  await subRow.getByRole("link", { name: "reader" }).click();
  await page.getByRole("button", { name: "Edit name, permissions and limits" }).click();
  await page.getByRole("checkbox", { name: /^Write/ }).check();
  await page.getByLabel("Object key prefix (optional)").fill("backups/");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("changed permissions, prefix of reader")).toBeVisible();
  await expect(page.getByText("backups/")).toBeVisible();
  await page.goBack();
  await page.reload();

  // Rotate: same id, new secret once; revoke with confirmation.
  await pickFromKeyMenu(page, "ci-deploy", "Rotate");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = await takeIssuedSecret(page);
  expect(rotated.accessKeyId).toBe(master.accessKeyId);
  expect(rotated.secret).not.toBe(master.secret);
  await pickFromKeyMenu(page, "reader", "Revoke");
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(subRow).toHaveCount(0); // the list shows active keys by default
  await page.getByRole("navigation", { name: "Key status" }).getByRole("link", { name: "Revoked" }).click();
  await expect(subRow).toContainText("Revoked");
});

test("a MEMBER_PLUS creates a region key pair and resets it", async ({ page: admin, browser }) => {
  const { orgId, projectUrl } = await adminWithProject(admin, `pair-${Date.now()}`);
  const page = await inviteAndJoin(admin, browser, orgId, "MEMBER_PLUS");
  await page.goto(`${projectUrl}/my-keys`);
  const row = page.getByTestId("region-row-local");
  await expect(row).toContainText("Not configured");
  await row.getByRole("button", { name: "Create" }).click();
  const first = await takeIssuedSecret(page);
  await expect(row).toContainText(first.accessKeyId);
  await row.getByRole("button", { name: "Reset" }).click();
  await expect(page.getByText("existing keys stop working immediately")).toBeVisible();
  await page.getByRole("button", { name: "Reset key pair" }).click();
  const second = await takeIssuedSecret(page);
  expect(second.accessKeyId).not.toBe(first.accessKeyId);
  await expect(row).toContainText(second.accessKeyId);
  await expect(row.getByRole("button", { name: "Delete" })).toHaveCount(0);
});
