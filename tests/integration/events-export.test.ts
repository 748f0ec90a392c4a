import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvCell, eventsCsv } from "../../lib/events/csv";
import { exportInstanceEvents, exportKeyEvents, exportOrgEvents } from "../../lib/events/export-handlers";
import { resolveKeyEventScope } from "../../lib/events/scope";
import { eventWorld, insertEvents, requestEvents } from "./events-fixtures";
import { createUser, testDb } from "./helpers";

/** A strict RFC 4180 reader, so the test does not trust the writer's own idea of escaping. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === "") { quoted = true; i++; continue; }
    if (c === ",") { row.push(cell); cell = ""; i++; continue; }
    if (c === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i += 2; continue; }
    if (c === '"' || c === "\n" || c === "\r") throw new Error(`unescaped ${JSON.stringify(c)} at ${i}`);
    cell += c; i++;
  }
  if (cell || row.length) throw new Error("last line does not end with CRLF");
  return rows;
}

async function readAll(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, chunks };
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
}

describe("CSV cells", () => {
  it("escape per RFC 4180 and defuse spreadsheet formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    for (const s of ["+1", "-1+2", "@SUM(A1)", "\tx"]) expect(csvCell(s).startsWith("'")).toBe(true);
    expect(csvCell(null)).toBe("");
    expect(csvCell(12n)).toBe("12");
  });
});

describe("CSV export", () => {
  it("streams a few thousand filtered events with header, escaping and the right row count", async () => {
    const w = await eventWorld();
    const tricky = ['a,b.txt', 'say "hi".txt', "multi\nline.txt", "=cmd|' /C calc'!A0", "+SUM(1)", "-2", "@x", "ünïcødé ✓.txt"];
    await insertEvents([
      ...requestEvents(w.plusSub, 3000),
      ...tricky.map((objectKey, i) => ({ ...requestEvents(w.plusSub, 1)[0], objectKey, requestId: `tricky-${i}` })),
      ...requestEvents(w.plusSub, 1, { signedWith: "previous", requestId: "old-secret" }),
      ...requestEvents(w.plusSub, 200, { outcome: "denied", status: 403 }),
      ...requestEvents(w.adminSub, 50), // not in this key's export
    ]);
    const { scope } = await resolveKeyEventScope(testDb(), w.plus, w.plusSub.id);

    const lines: string[] = [];
    for await (const chunk of eventsCsv(testDb(), scope, { outcome: "allowed" }, { batchSize: 700 })) lines.push(chunk);
    expect(lines.length).toBe(1 + 5); // header + ceil(3009 / 700) batches
    const rows = parseCsv(lines.join(""));
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(1 + 3009);
    const col = (name: string) => CSV_HEADER.indexOf(name);
    const ids = rows.slice(1).map((r) => BigInt(r[col("id")]));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1])).toBe(true); // newest first, no duplicates
    expect(new Set(rows.slice(1).map((r) => r[col("key_name")]))).toEqual(new Set(["plus-sub"]));
    const keys = new Map(rows.slice(1).filter((r) => r[col("request_id")].startsWith("tricky-")).map((r) => [r[col("request_id")], r[col("object_key")]]));
    expect(keys.get("tricky-0")).toBe("a,b.txt");
    expect(keys.get("tricky-1")).toBe('say "hi".txt');
    expect(keys.get("tricky-2")).toBe("multi\nline.txt");
    expect(keys.get("tricky-3")).toBe("'=cmd|' /C calc'!A0");
    expect(keys.get("tricky-4")).toBe("'+SUM(1)");
    expect(keys.get("tricky-5")).toBe("'-2");
    expect(keys.get("tricky-6")).toBe("'@x");
    expect(keys.get("tricky-7")).toBe("ünïcødé ✓.txt");
    // Which secret signed (rotation overlap window): a column of its own, empty when not recorded.
    expect(rows.find((r) => r[col("request_id")] === "old-secret")![col("signed_with")]).toBe("previous");
    expect(rows.find((r) => r[col("request_id")] === "tricky-0")![col("signed_with")]).toBe("");
    const described = rows.find((r) => r[col("request_id")] === "tricky-0")!;
    expect(described[col("description")]).toBe("plus-sub GetObject photos/a,b.txt → 200, 1.2 kB, from 10.0.0.7");
  });

  it("route handler cores: 401 signed out, 403 MEMBER, 404 other org, 400 bad filter, 200 streamed CSV", async () => {
    const w = await eventWorld();
    await insertEvents(requestEvents(w.plusSub, 2500));
    const q = new URLSearchParams();
    expect((await exportOrgEvents(testDb(), null, w.org.id, q)).status).toBe(401);
    expect((await exportOrgEvents(testDb(), w.member.actor, w.org.id, q)).status).toBe(403);
    expect((await exportKeyEvents(testDb(), w.member.actor, w.org.id, w.plusSub.id, q)).status).toBe(403);
    const stranger = await createUser("Stranger");
    expect((await exportOrgEvents(testDb(), stranger, w.org.id, q)).status).toBe(404);
    expect((await exportKeyEvents(testDb(), w.plus.actor, w.org.id, w.adminSub.id, q)).status).toBe(404);
    expect((await exportOrgEvents(testDb(), w.plus.actor, w.org.id, new URLSearchParams({ projectId: "nope" }))).status).toBe(404);
    const bad = await exportKeyEvents(testDb(), w.plus.actor, w.org.id, w.plusSub.id, new URLSearchParams({ outcome: "maybe" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fieldErrors.outcome).toBeTruthy();

    const res = await exportKeyEvents(testDb(), w.plus.actor, w.org.id, w.plusSub.id, new URLSearchParams({ type: "key.request" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="keygate-events-plus-sub-\d{4}-\d{2}-\d{2}\.csv"$/);
    const { text } = await readAll(res);
    expect(parseCsv(text)).toHaveLength(1 + 2500);

    const org = await readAll(await exportOrgEvents(testDb(), w.admin.actor, w.org.id, new URLSearchParams({ projectId: w.p1.id })));
    expect(parseCsv(org.text)).toHaveLength(1 + 2500);
  });

  it("the instance export is for operators only", async () => {
    const w = await eventWorld();
    await insertEvents(requestEvents(w.adminKey, 3));
    const operators = [w.admin.actor.email.toLowerCase()];
    expect((await exportInstanceEvents(testDb(), null, new URLSearchParams(), operators)).status).toBe(401);
    expect((await exportInstanceEvents(testDb(), w.plus.actor, new URLSearchParams(), operators)).status).toBe(404);
    const res = await exportInstanceEvents(testDb(), w.admin.actor, new URLSearchParams({ orgId: w.org.id }), operators);
    expect(res.status).toBe(200);
    expect(parseCsv((await readAll(res)).text)).toHaveLength(1 + 3);
  });
});
