// Region aliases from KEYGATE_REGIONS: the default region answers to the names clients sign
// with when no region is configured; other regions only to what they name.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../lib/env";

const regions = (list: unknown[]) => parseEnv({ KEYGATE_REGIONS: JSON.stringify(list) }).regions.map((r) => [r.id, r.aliases]);

describe("region aliases", () => {
  it("gives the default region us-east-1 and auto, other regions none", () => {
    expect(parseEnv({}).regions.map((r) => [r.id, r.aliases])).toEqual([["local", ["us-east-1", "auto"]]]);
    expect(regions([{ id: "eu-1", backend: { type: "fs" } }, { id: "eu-2", backend: { type: "fs" } }]))
      .toEqual([["eu-1", ["us-east-1", "auto"]], ["eu-2", []]]);
  });

  it("uses configured aliases instead, and an empty list turns them off", () => {
    expect(regions([{ id: "eu-1", aliases: [], backend: { type: "fs" } }, { id: "eu-2", aliases: ["eu-west-2"], backend: { type: "fs" } }]))
      .toEqual([["eu-1", []], ["eu-2", ["eu-west-2"]]]);
  });

  it("never aliases another region's id", () => {
    // A region named us-east-1 keeps its own name: the default region does not shadow it.
    expect(regions([{ id: "local", backend: { type: "fs" } }, { id: "us-east-1", backend: { type: "fs" } }]))
      .toEqual([["local", ["auto"]], ["us-east-1", []]]);
    expect(() => regions([{ id: "a", aliases: ["b"], backend: { type: "fs" } }, { id: "b", backend: { type: "fs" } }]))
      .toThrow(/KEYGATE_REGIONS: alias "b" of region "a"/);
    expect(() => regions([{ id: "a", aliases: ["Bad Name"], backend: { type: "fs" } }])).toThrow(/KEYGATE_REGIONS/);
  });
});
