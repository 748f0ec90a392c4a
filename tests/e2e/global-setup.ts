// Starts the real stack (embedded PostgreSQL, built web app, gateway) on test ports with a
// fresh data directory, and stops it after the run.
import { rm } from "node:fs/promises";
import path from "node:path";
import { startStack } from "../../scripts/lib/stack";
import { e2eDataDir, e2ePorts } from "./env";

export default async function globalSetup() {
  const dataDir = e2eDataDir();
  await rm(dataDir, { recursive: true, force: true });
  const { web, gateway } = e2ePorts();
  const stack = await startStack({
    quiet: true,
    env: {
      ...process.env,
      DATABASE_URL: undefined,
      RESEND_API_KEY: undefined,
      KEYGATE_DATA_DIR: dataDir,
      KEYGATE_WEB_PORT: web,
      KEYGATE_GATEWAY_PORT: gateway,
      KEYGATE_PUBLIC_URL: `http://localhost:${web}`,
      KEYGATE_GATEWAY_URL: `http://localhost:${gateway}`,
      KEYGATE_OPERATOR_EMAILS: "operator@e2e.test",
      // Every test address is @e2e.test; hardening.spec.ts checks that others are refused.
      KEYGATE_SIGNUP: "e2e.test",
      // Lets hardening.spec.ts act as a proxy in front of the console (X-Forwarded-For).
      KEYGATE_TRUSTED_PROXIES: "127.0.0.1/32",
      // Chromium, the web server, the gateway and PostgreSQL share the test machine's cores, where
      // opening a connection can take longer than the 2 s default. Outages are tested with the
      // defaults in stack-supervision.test.ts.
      KEYGATE_DB_CONNECT_TIMEOUT_MS: "5000",
      NODE_ENV: "production",
    },
  });
  process.env.KEYGATE_E2E_DATABASE_URL = stack.databaseUrl;
  return async () => {
    await stack.stop();
    if (!process.env.KEYGATE_KEEP_E2E_DATA) await rm(path.resolve(dataDir), { recursive: true, force: true });
  };
}
