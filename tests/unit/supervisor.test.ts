import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffMs, supervise, type Runner } from "../../scripts/lib/supervisor";

/** A fake process: exits when told to; counts stops. */
function fakeRunner() {
  let exit!: (why: string) => void;
  const runner = { exited: new Promise<string>((r) => (exit = r)), stop: vi.fn(async () => {}) } satisfies Runner;
  return { runner, exit };
}

afterEach(() => vi.useRealTimers());

describe("supervise", () => {
  it("restarts a process that exits, after a growing delay, with a log line", async () => {
    vi.useFakeTimers();
    const first = fakeRunner();
    const second = fakeRunner();
    const start = vi.fn(async () => second.runner);
    const log = vi.fn();
    const s = supervise(first.runner, { name: "gateway", start, log });
    first.exit("gateway exited (SIGKILL)");
    await vi.advanceTimersByTimeAsync(999);
    expect(start).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(start).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/gateway exited \(SIGKILL\); restarting gateway in 1s/);
    await s.stop();
    expect(second.runner.stop).toHaveBeenCalled();
  });

  it("gives up on a crash loop with a clear message", async () => {
    vi.useFakeTimers();
    const start = vi.fn(async () => ({ exited: Promise.resolve("web exited (1)"), stop: async () => {} }));
    const s = supervise({ exited: Promise.resolve("web exited (1)"), stop: async () => {} }, { name: "web", start, log: () => {}, maxRestarts: 3 });
    let gaveUp: string | undefined;
    void s.gaveUp.then((why) => (gaveUp = why));
    await vi.advanceTimersByTimeAsync(backoffMs(1) + backoffMs(2) + backoffMs(3) + 10);
    expect(start).toHaveBeenCalledTimes(3);
    expect(gaveUp).toBe("web exited (1): web exited 4 times within 60s; giving up and stopping Keygate.");
  });

  it("does not restart what it was told to stop", async () => {
    vi.useFakeTimers();
    const first = fakeRunner();
    const start = vi.fn(async () => fakeRunner().runner);
    const s = supervise(first.runner, { name: "PostgreSQL", start, log: () => {} });
    await s.stop();
    first.exit("PostgreSQL exited (0)");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(start).not.toHaveBeenCalled();
  });

  it("backs off 1, 2, 4, 8, then 15 seconds", () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
  });
});
