/**
 * Email transport: Resend when an API key is configured, otherwise a local
 * outbox file (`<outboxDir>/outbox.jsonl`, one JSON object per line) that
 * developers and tests read magic links from. Configuration is passed in;
 * this module never reads process.env.
 */
import { randomUUID } from "node:crypto";
import { appendFile, chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { Resend } from "resend";
import { extractLinks } from "./links";

export type EmailTag = "sign-in" | "invitation" | "key-share" | "expiry-reminder" | "rotation-reminder" | "key-leaked";

export type OutgoingEmail = { to: string; subject: string; html: string; text: string; tag: EmailTag };

export type OutboxEntry = {
  id: string;
  /** ISO-8601 timestamp of when the email was written. */
  at: string;
  to: string;
  subject: string;
  tag: EmailTag;
  text: string;
  html: string;
  links: string[];
};

export type SendResult = { id: string; transport: "resend" | "outbox" };

export type EmailTransport = {
  readonly kind: "resend" | "outbox";
  send(email: OutgoingEmail): Promise<SendResult>;
};

export type TransportConfig = {
  /** Uses Resend when set (non-blank); otherwise the local outbox. */
  resendApiKey?: string;
  /** Sender, e.g. "Keygate <keygate@example.com>". Required for Resend. */
  from: string;
  /** Directory holding outbox.jsonl. */
  outboxDir: string;
  /** Receives the one-line outbox notice; defaults to console.info. */
  log?: (line: string) => void;
};

/** The subset of the Resend SDK this module uses (injectable for tests). */
export type ResendClient = {
  emails: {
    send(payload: {
      from: string;
      to: string;
      subject: string;
      html: string;
      text: string;
      tags?: { name: string; value: string }[];
    }): Promise<{
      data: { id: string } | null;
      error: { message: string; statusCode?: number | null; name?: string } | null;
    }>;
  };
};

export type TransportDeps = { resendClient?: ResendClient };

export const OUTBOX_FILE = "outbox.jsonl";

export class EmailDeliveryError extends Error {
  readonly tag: EmailTag;
  readonly statusCode: number | null;
  constructor(message: string, tag: EmailTag, statusCode: number | null = null) {
    super(message);
    this.name = "EmailDeliveryError";
    this.tag = tag;
    this.statusCode = statusCode;
  }
}

export function outboxPath(dir: string): string {
  return path.join(dir, OUTBOX_FILE);
}

function assertSendable(email: OutgoingEmail): void {
  if (!email.to || /[\r\n,;]/.test(email.to)) {
    throw new EmailDeliveryError("Invalid recipient: expected a single email address", email.tag);
  }
  if (/[\r\n]/.test(email.subject)) {
    throw new EmailDeliveryError("Invalid subject: must be a single line", email.tag);
  }
}

function redact(message: string, secret: string): string {
  return secret ? message.split(secret).join("[redacted]") : message;
}

export function createResendTransport(config: TransportConfig, deps: TransportDeps = {}): EmailTransport {
  const apiKey = config.resendApiKey?.trim() ?? "";
  if (!config.from?.trim()) throw new Error("Email transport: a sender address (from) is required to use Resend");
  const client: ResendClient = deps.resendClient ?? new Resend(apiKey);
  return {
    kind: "resend",
    async send(email) {
      assertSendable(email);
      let result: Awaited<ReturnType<ResendClient["emails"]["send"]>>;
      try {
        result = await client.emails.send({
          from: config.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          tags: [{ name: "category", value: email.tag }],
        });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new EmailDeliveryError(
          `Email delivery via Resend failed (tag=${email.tag}): ${redact(reason, apiKey)}`,
          email.tag,
        );
      }
      if (result.error) {
        const { name, message, statusCode } = result.error;
        throw new EmailDeliveryError(
          `Resend rejected the email (tag=${email.tag}, status=${statusCode ?? "unknown"}, ${name ?? "error"}): ${redact(String(message), apiKey)}`,
          email.tag,
          statusCode ?? null,
        );
      }
      if (!result.data?.id) {
        throw new EmailDeliveryError(`Resend returned no email id (tag=${email.tag})`, email.tag);
      }
      return { id: result.data.id, transport: "resend" };
    },
  };
}

export function createOutboxTransport(config: Pick<TransportConfig, "outboxDir" | "log">): EmailTransport {
  const log = config.log ?? ((line: string) => console.info(line));
  const file = outboxPath(config.outboxDir);
  return {
    kind: "outbox",
    async send(email) {
      assertSendable(email);
      const entry: OutboxEntry = {
        id: randomUUID(),
        at: new Date().toISOString(),
        to: email.to,
        subject: email.subject,
        tag: email.tag,
        text: email.text,
        html: email.html,
        links: extractLinks(email.html, email.text),
      };
      await mkdir(config.outboxDir, { recursive: true, mode: 0o700 });
      // One appendFile per entry: a single O_APPEND write, so concurrent senders don't interleave lines.
      await appendFile(file, `${JSON.stringify(entry)}\n`, { encoding: "utf8", mode: 0o600 });
      // `mode` only applies when the file is created; keep it private if it pre-existed.
      await chmod(file, 0o600);
      log(`[outbox] to=${entry.to} subject=${entry.subject} link=${entry.links[0] ?? "(none)"}`);
      return { id: entry.id, transport: "outbox" };
    },
  };
}

/** Resend when `resendApiKey` is set (non-blank), otherwise the local outbox. */
export function createTransport(config: TransportConfig, deps: TransportDeps = {}): EmailTransport {
  return config.resendApiKey?.trim() ? createResendTransport(config, deps) : createOutboxTransport(config);
}
