// npm run bench: every benchmark in sequence, each printing its own figures.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const BENCHES = [
  "tests/bench/keys-list.ts", "tests/bench/gateway.ts", "tests/bench/events.ts", "tests/bench/storage-list.ts", "tests/bench/storage-versions.ts",
];
const only = process.argv.slice(2);

let failed = 0;
for (const file of BENCHES) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  if (!existsSync(file)) continue;
  console.log(`\n##### ${file}`);
  const res = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", file], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
