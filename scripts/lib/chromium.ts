import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_PATH = process.env.KEYGATE_CHROMIUM ?? "/usr/bin/chromium";

/** Playwright drives Debian's Chromium (a browser download is impossible offline). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium is missing at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the end-to-end tests…");
  const sh = (cmd: string) => spawnSync("sh", ["-c", cmd], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (sh("apt-get update -q").status !== 0 || sh("apt-get install -y -q chromium").status !== 0 || !existsSync(CHROMIUM_PATH)) {
    console.error("Installing chromium failed; install it with: apt-get install -y chromium");
    process.exit(1);
  }
}
