// KEYGATE_GATEWAY_WORKERS: default one worker per CPU, explicit counts kept, bad values refused
// with the variable named; the database pool is shared out between workers.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { poolSizePerWorker } from "../../gateway/cluster";
import { parseEnv } from "../../lib/env";

describe("KEYGATE_GATEWAY_WORKERS", () => {
  it("defaults to the number of CPUs and keeps an explicit count", () => {
    expect(parseEnv({}).gatewayWorkers).toBe(os.availableParallelism());
    expect(parseEnv({ KEYGATE_GATEWAY_WORKERS: "3" }).gatewayWorkers).toBe(3);
  });

  it("refuses zero, negative and non-numeric values, naming the variable", () => {
    for (const bad of ["0", "-1", "two", "1.5"]) expect(() => parseEnv({ KEYGATE_GATEWAY_WORKERS: bad }), bad).toThrow(/KEYGATE_GATEWAY_WORKERS/);
  });

  it("gives the single-process gateway the whole database pool", () => {
    expect(poolSizePerWorker(1)).toBe(20); // this test process is no cluster worker
  });
});
