// The gateway's last-resort guard (gateway/process-guard.ts): an exception that escapes a
// request's handling (here: thrown in the close handler that records the request, where a
// destroyed socket once crashed the process; logged with the request id) or a rejection nobody
// handles is logged, counted in keygate_gateway_unexpected_errors_total, and the process keeps
// serving.
import { type ChildProcess, fork } from "node:child_process";
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { send } from "../bench/sign";

let child: ChildProcess;
let base: string;
let stderr = "";

beforeAll(async () => {
  child = fork("tests/unit/fixtures/guarded-gateway.ts", [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "pipe", "pipe", "ipc"] });
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const { port } = await new Promise<{ port: number }>((resolve) => child.once("message", (m) => resolve(m as { port: number })));
  base = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(() => {
  child?.kill("SIGKILL");
});

const counted = async (kind: string) => {
  const text = (await send(`${base}/metrics`)).body.toString();
  return Number(new RegExp(`keygate_gateway_unexpected_errors_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
};

it("an exception in a request's close handler is logged with its request id and counted; the process keeps serving", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await send(`${base}/some-bucket/key-${i}`);
    expect(res.status).toBe(403); // anonymous
    ids.push(String(res.headers["x-amz-request-id"]));
  }
  await expect.poll(() => counted("exception")).toBe(3);
  expect(child.exitCode).toBeNull();
  for (const id of ids) await expect.poll(() => stderr).toContain(`[gateway ${id}] unexpected exception, still serving: Error: fault injected in finish()`);
});

it("an exception in the close handler of a request whose client went away is logged with the request id", async () => {
  const before = await counted("exception");
  const logged = stderr.length;
  const socket = connect(Number(new URL(base).port), "127.0.0.1");
  socket.write("GET /some-bucket/stalled HTTP/1.1\r\nhost: localhost\r\norigin: https://app.example\r\n\r\n");
  await new Promise((r) => setTimeout(r, 300));
  socket.destroy(); // the client gives up while the request is still being handled
  await expect.poll(() => counted("exception")).toBe(before + 1);
  await expect.poll(() => stderr.slice(logged)).toMatch(/^\[gateway [0-9A-F]{16}\] unexpected exception, still serving: Error: fault injected in finish\(\)/);
  expect((await send(`${base}/health/live`)).status).toBe(200);
});

it("a rejection nobody handles is logged and counted", async () => {
  child.send("reject");
  await expect.poll(() => counted("rejection")).toBe(1);
  await expect.poll(() => stderr).toContain("[gateway] unexpected rejection, still serving: Error: rejection injected");
  expect((await send(`${base}/health/live`)).status).toBe(200);
});
