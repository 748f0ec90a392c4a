import { defineConfig } from "@playwright/test";

const webPort = process.env.KEYGATE_E2E_WEB_PORT ?? "3310";

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  timeout: 180_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${webPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.KEYGATE_CHROMIUM ?? "/usr/bin/chromium",
      // Without these Chromium keeps trying to reach Google's hosts on an offline machine.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
