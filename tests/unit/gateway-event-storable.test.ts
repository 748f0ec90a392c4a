import { describe, expect, it } from "vitest";
import { FIELD_CAPS, storableEvent, storableText } from "../../gateway/event-storable";
import type { RequestEvent } from "../../gateway/event-writer";

describe("storableText", () => {
  it("returns clean short strings unchanged (same string)", () => {
    const s = "photos/2026/a b+c.jpg";
    expect(storableText(s, 100)).toBe(s);
  });

  it("escapes NUL and lone surrogates, keeps valid pairs", () => {
    expect(storableText("a\u0000b", 100)).toBe("a\\u0000b");
    expect(storableText("x\ud800y\udfffz", 100)).toBe("x\\ud800y\\udfffz");
    expect(storableText("ok 😀", 100)).toBe("ok 😀");
    expect(Buffer.from(storableText("\ud83d", 100), "utf8").toString("utf8")).toBe("\\ud83d");
  });

  it("caps the length without splitting a surrogate pair", () => {
    expect(storableText("a".repeat(600), 512)).toHaveLength(512);
    const capped = storableText(`${"a".repeat(8)}😀😀`, 10);
    expect(capped).toBe(`${"a".repeat(8)}…`);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(capped)).toBe(false);
  });
});

describe("storableEvent", () => {
  it("makes every client-supplied field storable and numbers sane", () => {
    const e: RequestEvent = {
      at: new Date(NaN), orgId: "o", projectId: "p", keyId: "k", accessKeyId: "AK", outcome: "denied", operation: "GetObject",
      bucket: "b\u0000", objectKey: "k".repeat(5000), status: 403, errorCode: "AccessDenied", bytesIn: -5, bytesOut: Infinity,
      durationMs: 1e12, ip: "::1", userAgent: "\u0000".repeat(10), requestId: "R",
    };
    const s = storableEvent(e);
    expect(Number.isNaN(s.at.getTime())).toBe(false);
    expect(s.bucket).toBe("b\\u0000");
    expect(s.objectKey).toHaveLength(FIELD_CAPS.objectKey);
    expect(s.userAgent).toBe("\\u0000".repeat(10));
    expect([s.bytesIn, s.bytesOut, s.durationMs]).toEqual([0, 0, 2_147_483_647]);
  });
});
