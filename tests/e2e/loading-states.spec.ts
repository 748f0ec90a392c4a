import { expect, test, type Page } from "@playwright/test";
import { adminWithProject } from "./fixtures";

const isRsc = (url: URL, pathEnd: string) => url.pathname.endsWith(pathEnd) && url.searchParams.has("_rsc");

/**
 * Holds the server's answer to client navigations (RSC requests) to a path until released.
 * Prefetches pass.
 */
async function holdNavigations(page: Page, pathEnd: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  await page.route((url) => isRsc(url, pathEnd), async (route) => {
    if (!route.request().headers()["next-router-prefetch"]) await released;
    await route.continue();
  });
  return release;
}

// No loading.tsx skeletons: a Suspense boundary above a page sends 200 before the page's own
// notFound()/forbidden() runs, so refused and unknown pages lost their 403/404 status
// (tests/e2e/foundation.spec.ts). Navigation keeps the current page until the next one arrives.
test("loading states: a pending button while filters apply", async ({ page }) => {
  const { orgId } = await adminWithProject(page, `loading-${Date.now()}`);
  await page.goto(`/orgs/${orgId}/events`);

  // Applying filters stays on the page: the button shows pending until the filtered page arrives.
  await page.getByLabel("Outcome").selectOption("denied");
  const apply = page.getByRole("button", { name: "Apply filters" });
  const release = await holdNavigations(page, "/events");
  await apply.click();
  await expect(apply).toHaveAttribute("aria-busy", "true");
  await expect(apply).toBeDisabled();
  release();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/events\\?.*outcome=denied`));
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await expect(apply).not.toHaveAttribute("aria-busy", "true");
});
