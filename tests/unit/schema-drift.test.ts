import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("prisma schema", () => {
  it("has no change without a migration (run npm run db:migrate:create -- <name>)", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const snapshot = readFileSync("prisma/migrations/schema.snapshot.prisma", "utf8");
    expect(snapshot).toBe(schema);
  });
});
