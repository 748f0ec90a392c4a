// When the reader of the gateway's stdout/stderr goes away (its supervisor or test harness was
// killed), logging fails with EPIPE. That must neither crash the process nor loop: before the
// guard ignored stdio errors, each failed log line raised an uncaught exception whose own log
// line failed again, and orphaned gateways spun at full CPU forever.
import { fork } from "node:child_process";
import { expect, it } from "vitest";

it("a gateway process whose log reader is gone keeps running without an error loop", async () => {
  const child = fork("tests/unit/fixtures/guarded-logger.ts", [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "pipe", "pipe", "ipc"] });
  try {
    await new Promise<void>((resolve) => child.stderr!.once("data", () => resolve())); // it logs
    child.stdout!.destroy();
    child.stderr!.destroy(); // the reader is gone: the next writes fail with EPIPE
    await new Promise((r) => setTimeout(r, 500));
    const answer = new Promise<{ unexpected: number }>((resolve) => child.once("message", (m) => resolve(m as { unexpected: number })));
    child.send("count?");
    const { unexpected } = await answer;
    expect(child.exitCode).toBeNull();
    expect(unexpected).toBe(0);
  } finally {
    child.kill("SIGKILL");
  }
}, 60_000);
