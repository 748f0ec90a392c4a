import { createTransport, type EmailTransport } from "./email/transport";
import { getEnv } from "./env";

let transport: EmailTransport | undefined;

/** Resend when RESEND_API_KEY is set, otherwise the local outbox under the data directory. */
export function getMailer(): EmailTransport {
  const env = getEnv();
  transport ??= createTransport({ resendApiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, outboxDir: env.dataDir });
  return transport;
}
