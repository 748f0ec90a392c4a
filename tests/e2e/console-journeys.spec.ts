import { expect, test } from "@playwright/test";
import { invite, joinFromOnboarding, createSubKey } from "./console-fixtures";
import { adminWithProject, createOrganization, linkFromOutbox, newSignedInPage, signIn, takeIssuedSecret, uniqueEmail } from "./fixtures";

test("journey 1: invited people are shown their invitation, on sign-in and on the invitation page", async ({ page: admin, browser }) => {
  await signIn(admin, uniqueEmail("admin"));
  const orgName = `Invites ${Date.now()}`;
  const orgId = await createOrganization(admin, orgName);

  // Signed out, the invitation link leads to a sign-in page that names the organization and fills the address in.
  const dave = await invite(admin, orgId, "MEMBER_PLUS", "dave");
  const davePage = await (await browser.newContext()).newPage();
  await davePage.goto(dave.link);
  await expect(davePage.getByRole("heading", { name: `Sign in to join ${orgName}` })).toBeVisible();
  await expect(davePage.getByLabel("Email address")).toHaveValue(dave.email);
  const before = new Date();
  await davePage.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(davePage.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await davePage.goto(await linkFromOutbox(dave.email, "sign-in", before));
  await expect(davePage.getByRole("heading", { name: `Join ${orgName}` })).toBeVisible();
  await davePage.getByRole("button", { name: "Accept invitation" }).click();
  await expect(davePage).toHaveURL(new RegExp(`/orgs/${orgId}$`));

  // Signing in at /signin without the link: onboarding lists the invitation with a Join button.
  const erin = await invite(admin, orgId, "MEMBER", "erin");
  const erinPage = await joinFromOnboarding(browser, erin.email, orgName);
  await expect(erinPage).toHaveURL(new RegExp(`/orgs/${orgId}$`));

  // Someone else signed in: told before clicking, no Accept button, a way to switch accounts.
  const frank = await invite(admin, orgId, "MEMBER", "frank");
  await erinPage.goto(frank.link);
  await expect(erinPage.getByText(`Only ${frank.email} can accept this invitation`)).toBeVisible();
  await expect(erinPage.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
  await expect(erinPage.getByRole("button", { name: `Sign out and continue as ${frank.email}` })).toBeVisible();
});

test("journey 2: an operator lands in the operator area", async ({ browser }) => {
  const page = await newSignedInPage(browser, "operator@e2e.test");
  await expect(page).toHaveURL(/\/operator$/);
  await expect(page.getByRole("navigation", { name: "Operator" }).getByRole("link", { name: "Events" })).toBeVisible();
  // The instance's events: the same requests chart as every events page, keys suggested by name.
  await page.getByRole("navigation", { name: "Operator" }).getByRole("link", { name: "Events" }).click();
  await expect(page.getByRole("figure")).toContainText("Requests per day");
  await expect(page.getByLabel("Key", { exact: true })).toHaveAttribute("list", "event-key-suggestions");
  // Creating an organization stays possible from onboarding, which links back.
  await page.goto("/onboarding?create");
  await expect(page.getByRole("link", { name: "Go to the operator area" })).toBeVisible();
});

test("journeys 4 and 5: an admin creates a key for a Member+, sees it on the member's page; demotion warns, revokes, promotion does not restore", async ({ page: admin, browser }) => {
  const bucket = `owner-${Date.now()}`;
  const { orgId, projectUrl } = await adminWithProject(admin, bucket);
  const plus = await invite(admin, orgId, "MEMBER_PLUS", "plus");
  const plusPage = await joinFromOnboarding(browser, plus.email, "Keys Org");

  await admin.goto(`${projectUrl}/keys`);
  await createSubKey(admin, { name: "for-plus", owner: plus.email });
  await takeIssuedSecret(admin);
  const row = admin.getByTestId("key-row-for-plus");
  await expect(row).toContainText(plus.email);

  // The owner sees the key among their own.
  await plusPage.goto(`${projectUrl}/keys`);
  await expect(plusPage.getByTestId("key-row-for-plus")).toBeVisible();

  // The member's page lists the keys they own, with the project.
  await admin.goto(`/orgs/${orgId}/members`);
  await admin.getByTestId(`member-${plus.email}`).getByRole("link").click();
  const keyRow = admin.getByTestId("member-key-for-plus");
  await expect(keyRow).toContainText("assets");
  await expect(keyRow).toContainText("Active");

  // Demoting to Member asks first and says how many keys are revoked.
  await admin.goto(`/orgs/${orgId}/members`);
  const member = admin.getByTestId(`member-${plus.email}`);
  await member.getByLabel(`Role of ${plus.email}`).selectOption("MEMBER");
  await member.getByRole("button", { name: "Save" }).click();
  const dialog = admin.getByRole("alertdialog");
  await expect(dialog).toContainText("1 active key");
  await expect(dialog).toContainText("does not bring these keys back");
  await dialog.getByRole("button", { name: "Change role and revoke 1 key" }).click();
  await expect(dialog).toHaveCount(0);

  // Promoting back: no warning, and the key stays revoked.
  await admin.reload();
  await member.getByLabel(`Role of ${plus.email}`).selectOption("MEMBER_PLUS");
  await member.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByText("Role updated")).toBeVisible();
  await admin.goto(`/orgs/${orgId}/members`);
  await admin.getByTestId(`member-${plus.email}`).getByRole("link").click();
  await expect(admin.getByTestId("member-key-for-plus")).toContainText("Revoked");
});
