import path from "node:path";

export const e2eDataDir = () => path.resolve(process.env.KEYGATE_E2E_DATA_DIR ?? "test-data/e2e");
export const e2ePorts = () => ({
  web: process.env.KEYGATE_E2E_WEB_PORT ?? "3310",
  gateway: process.env.KEYGATE_E2E_GATEWAY_PORT ?? "9310",
});
