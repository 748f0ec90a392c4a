import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { handleLeakRequest } from "@/lib/leaks/leak-endpoint";
import { getMailer } from "@/lib/mailer";

export const dynamic = "force-dynamic";

/** GitHub secret-scanning partner reports (docs/secret-scanning.md). No session: GitHub signs each report. */
export async function POST(request: Request) {
  const env = getEnv();
  return handleLeakRequest(getDb(), request, {
    keys: env.KEYGATE_SECRET_SCANNING_KEYS, action: env.KEYGATE_LEAKED_KEY_ACTION, transport: getMailer(), publicUrl: env.publicUrl,
  });
}
