import { expect, test, type Locator, type Page } from "@playwright/test";
import { adminWithProject } from "./fixtures";

const isRsc = (url: URL, pathEnd: string) => url.pathname.endsWith(pathEnd) && url.searchParams.has("_rsc");

/**
 * Holds the server's answer to client navigations (RSC requests) to a path until released.
 * Prefetches pass: they bring the loading skeleton the navigation shows meanwhile, so first
 * hover the link or form that navigates and let its prefetch arrive (Next prefetches on hover
 * unless it has already done so, hence the tolerant wait).
 */
async function holdNavigations(page: Page, pathEnd: string, trigger?: Locator) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  await page.route((url) => isRsc(url, pathEnd), async (route) => {
    if (!route.request().headers()["next-router-prefetch"]) await released;
    await route.continue();
  });
  if (!trigger) return release;
  const prefetched = page.waitForResponse((r) => isRsc(new URL(r.url()), pathEnd) && !!r.request().headers()["next-router-prefetch"]
    && !r.request().headers()["next-router-segment-prefetch"], { timeout: 5_000 }).catch(() => null);
  await trigger.hover();
  await prefetched;
  return release;
}

test("loading states: a skeleton while the next console page is fetched, a pending button while filters apply", async ({ page }) => {
  const { orgId } = await adminWithProject(page, `loading-${Date.now()}`);

  // A sidebar link: the skeleton takes the page's place at once, the shell stays.
  const eventsLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" });
  let release = await holdNavigations(page, "/events", eventsLink);
  await eventsLink.click();
  const skeleton = page.getByTestId("page-skeleton");
  await expect(skeleton).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  release();
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await expect(skeleton).toHaveCount(0);
  await page.unrouteAll();

  // Applying filters stays on the page: the button shows pending until the filtered page arrives.
  await page.getByLabel("Outcome").selectOption("denied");
  const apply = page.getByRole("button", { name: "Apply filters" });
  release = await holdNavigations(page, "/events");
  await apply.click();
  await expect(apply).toHaveAttribute("aria-busy", "true");
  await expect(apply).toBeDisabled();
  release();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/events\\?.*outcome=denied`));
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await expect(apply).not.toHaveAttribute("aria-busy", "true");
});
