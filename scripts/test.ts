// npm test: unit tests, integration tests (embedded PostgreSQL; the stack tests serve the built
// app) and end-to-end tests (the built app in Debian's Chromium). Stops at the first failing stage.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ensureChromium } from "./lib/chromium";
import { buildIsStale } from "./lib/build";
import { findFreePort } from "./lib/embedded-postgres";

type Stage = { name: string; cmd: string; args: string[] };

const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : "1" };

function run(stage: Stage): boolean {
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const res = spawnSync(stage.cmd, stage.args, { stdio: "inherit", env });
  console.log(`=== ${stage.name}: ${res.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s ===`);
  return res.status === 0;
}

async function main() {
  const only = process.argv[2]; // optional: typecheck | unit | integration | e2e
  const node = process.execPath;
  const stages: Stage[] = [
    { name: "typecheck", cmd: node, args: ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."] },
    { name: "unit", cmd: node, args: ["node_modules/vitest/vitest.mjs", "run", "--project", "unit"] },
    { name: "integration", cmd: node, args: ["node_modules/vitest/vitest.mjs", "run", "--project", "integration"] },
    { name: "e2e", cmd: node, args: ["node_modules/@playwright/test/cli.js", "test"] },
  ].filter((s) => !only || s.name === only);

  if (stages.some((s) => s.name === "e2e")) {
    ensureChromium();
    env.KEYGATE_E2E_WEB_PORT ??= String(await findFreePort(3310));
    env.KEYGATE_E2E_GATEWAY_PORT ??= String(await findFreePort(9310));
  }
  // The integration tests of `npm start` itself (tests/integration/stack-*) and the end-to-end
  // tests serve the production build: build it first when needed.
  const firstServing = stages.findIndex((s) => s.name === "integration" || s.name === "e2e");
  if (firstServing >= 0 && (buildIsStale() || !existsSync(".next/BUILD_ID"))) {
    stages.splice(firstServing, 0, { name: "build", cmd: node, args: ["node_modules/next/dist/bin/next", "build"] });
  }
  for (const stage of stages) {
    if (!run(stage)) process.exit(1);
  }
  console.log("\nAll test stages passed.");
}

void main();
