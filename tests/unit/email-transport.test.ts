import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decodeHtmlEntities, extractLinks } from "../../lib/email/links";
import { findLatestEmail, readOutbox, waitForEmail } from "../../lib/email/outbox";
import {
  EmailDeliveryError,
  createTransport,
  outboxPath,
  type OutgoingEmail,
  type ResendClient,
} from "../../lib/email/transport";

const API_KEY = "re_test_0123456789abcdefSECRET";
const FROM = "Keygate <keygate@example.com>";

let dir: string;
let logs: string[];
beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), "keygate-email-")), "nested", "outbox");
  logs = [];
});
afterEach(async () => {
  await rm(path.dirname(path.dirname(dir)), { recursive: true, force: true });
});

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: "ada@example.com",
  subject: "Sign in to Keygate",
  html: '<p><a href="https://kg.test/cb?token=t1&amp;email=ada%40example.com">Sign in</a> <a href="mailto:x@y.z">x</a></p>',
  text: "Sign in https://kg.test/cb?token=t1&email=ada%40example.com\nDocs: https://kg.test/docs.",
  tag: "sign-in",
  ...over,
});

function outbox() {
  return createTransport({ from: FROM, outboxDir: dir, log: (line) => logs.push(line) });
}

describe("link extraction", () => {
  it("decodes hrefs, keeps http(s) only, dedupes and strips trailing punctuation", () => {
    const e = email();
    expect(extractLinks(e.html, e.text)).toEqual([
      "https://kg.test/cb?token=t1&email=ada%40example.com",
      "https://kg.test/docs",
    ]);
    expect(decodeHtmlEntities("a&amp;b&#x27;c&#39;d&quot;&unknown;")).toBe("a&b'c'd\"&unknown;");
  });
});

describe("outbox transport", () => {
  it("is chosen without an API key (also when blank)", () => {
    expect(outbox().kind).toBe("outbox");
    expect(createTransport({ resendApiKey: "  ", from: FROM, outboxDir: dir }).kind).toBe("outbox");
  });

  it("appends one JSON line per email, mode 0600, and round-trips", async () => {
    const transport = outbox();
    const first = await transport.send(email());
    const second = await transport.send(email({ to: "bob@example.com", tag: "invitation", subject: "Join" }));
    expect(first.transport).toBe("outbox");

    const raw = await readFile(outboxPath(dir), "utf8");
    expect(raw.trim().split("\n")).toHaveLength(2);
    expect((await stat(outboxPath(dir))).mode & 0o777).toBe(0o600);

    const entries = await readOutbox(dir);
    expect(entries.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(entries[0]).toMatchObject({ to: "ada@example.com", tag: "sign-in", subject: "Sign in to Keygate" });
    expect(entries[0].links[0]).toBe("https://kg.test/cb?token=t1&email=ada%40example.com");
    expect(entries[0].html).toBe(email().html);
    expect(entries[0].text).toBe(email().text);
    expect(Date.parse(entries[0].at)).not.toBeNaN();

    expect(logs).toEqual([
      "[outbox] to=ada@example.com subject=Sign in to Keygate link=https://kg.test/cb?token=t1&email=ada%40example.com",
      "[outbox] to=bob@example.com subject=Join link=https://kg.test/cb?token=t1&email=ada%40example.com",
    ]);
  });

  it("tightens the mode of a pre-existing outbox file", async () => {
    await outbox().send(email());
    await chmod(outboxPath(dir), 0o644);
    await outbox().send(email());
    expect((await stat(outboxPath(dir))).mode & 0o777).toBe(0o600);
  });

  it("rejects multi-recipient or header-injecting input", async () => {
    await expect(outbox().send(email({ to: "a@x.test, b@x.test" }))).rejects.toBeInstanceOf(EmailDeliveryError);
    await expect(outbox().send(email({ subject: "hi\r\nBcc: e@x.test" }))).rejects.toThrow(/single line/);
  });
});

describe("outbox reader", () => {
  it("returns [] / null when there is no outbox yet", async () => {
    expect(await readOutbox(dir)).toEqual([]);
    expect(await findLatestEmail(dir, { to: "ada@example.com" })).toBeNull();
  });

  it("finds the latest entry by recipient (case-insensitive), tag and time", async () => {
    const transport = outbox();
    const a = await transport.send(email({ html: '<a href="https://kg.test/1">1</a>', text: "" }));
    await transport.send(email({ tag: "invitation", html: '<a href="https://kg.test/inv">i</a>', text: "" }));
    const c = await transport.send(email({ html: '<a href="https://kg.test/2">2</a>', text: "" }));
    await transport.send(email({ to: "bob@example.com" }));

    expect((await findLatestEmail(dir, { to: "ADA@example.com" }))?.id).toBe(c.id);
    expect((await findLatestEmail(dir, { to: "ada@example.com", tag: "invitation" }))?.links).toEqual(["https://kg.test/inv"]);
    expect((await findLatestEmail(dir, { to: "ada@example.com", tag: "key-share" }))).toBeNull();
    expect((await readOutbox(dir)).map((e) => e.id)[0]).toBe(a.id);
    expect(await findLatestEmail(dir, { to: "ada@example.com", after: Date.now() + 60_000 })).toBeNull();
    expect((await findLatestEmail(dir, { to: "ada@example.com", after: new Date(0) }))?.id).toBe(c.id);
  });

  it("skips blank and partial lines", async () => {
    await outbox().send(email());
    await writeFile(outboxPath(dir), `${await readFile(outboxPath(dir), "utf8")}\n{"id":"partial`, "utf8");
    expect(await readOutbox(dir)).toHaveLength(1);
  });

  it("waitForEmail polls until the email arrives, and times out clearly", async () => {
    const after = new Date();
    const pending = waitForEmail(dir, { to: "ada@example.com", tag: "sign-in", after, timeoutMs: 3_000, intervalMs: 20 });
    setTimeout(() => void outbox().send(email()), 100);
    expect((await pending).links[0]).toContain("token=t1");

    await expect(
      waitForEmail(dir, { to: "nobody@example.com", tag: "sign-in", timeoutMs: 100, intervalMs: 20 }),
    ).rejects.toThrow(/No email tagged "sign-in" for nobody@example.com/);
  });
});

describe("resend transport", () => {
  function fakeResend(response: Awaited<ReturnType<ResendClient["emails"]["send"]>> | Error) {
    const send = vi.fn<ResendClient["emails"]["send"]>(async () => {
      if (response instanceof Error) throw response;
      return response;
    });
    return { client: { emails: { send } } satisfies ResendClient, send };
  }

  it("is chosen with an API key and sends the payload", async () => {
    const { client, send } = fakeResend({ data: { id: "re_123" }, error: null });
    const transport = createTransport({ resendApiKey: API_KEY, from: FROM, outboxDir: dir }, { resendClient: client });
    expect(transport.kind).toBe("resend");
    const e = email();
    expect(await transport.send(e)).toEqual({ id: "re_123", transport: "resend" });
    expect(send).toHaveBeenCalledExactlyOnceWith({
      from: FROM,
      to: e.to,
      subject: e.subject,
      html: e.html,
      text: e.text,
      tags: [{ name: "category", value: "sign-in" }],
    });
    expect(await readOutbox(dir)).toEqual([]);
  });

  it("throws a clear error on an API error without leaking the key", async () => {
    const { client } = fakeResend({
      data: null,
      error: { name: "validation_error", statusCode: 403, message: `API key ${API_KEY} is invalid` },
    });
    const transport = createTransport({ resendApiKey: API_KEY, from: FROM, outboxDir: dir }, { resendClient: client });
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect((err as EmailDeliveryError).statusCode).toBe(403);
    expect((err as Error).message).toMatch(/Resend rejected the email \(tag=sign-in, status=403, validation_error\)/);
    expect((err as Error).message).not.toContain(API_KEY);
  });

  it("wraps thrown client errors without leaking the key", async () => {
    const { client } = fakeResend(new Error(`fetch failed for Bearer ${API_KEY}`));
    const transport = createTransport({ resendApiKey: API_KEY, from: FROM, outboxDir: dir }, { resendClient: client });
    const err = (await transport.send(email()).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/Email delivery via Resend failed \(tag=sign-in\)/);
    expect(err.message).not.toContain(API_KEY);
  });

  it("requires a sender address", () => {
    expect(() => createTransport({ resendApiKey: API_KEY, from: " ", outboxDir: dir })).toThrow(/from/);
  });
});
