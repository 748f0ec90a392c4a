"use server";

import { headers } from "next/headers";
import type { ActionResult } from "@/lib/action-result";
import { getDb } from "@/lib/db";
import { clientIpFromHeaders } from "@/lib/net/client-ip";
import { runAction } from "@/lib/run-action";
import { type RetrievedKey, retrieveShare } from "@/lib/shares/retrieve-share";

/**
 * Reveals a shared key once, after the recipient typed the address the link was sent to. The
 * secret leaves the server only in this action's response: never in a URL, a redirect or a
 * cached page, so nothing here revalidates or redirects.
 */
export async function revealShareAction(token: string, _prev: ActionResult, form: FormData): Promise<ActionResult<RetrievedKey>> {
  const h = await headers();
  const ip = clientIpFromHeaders(h);
  const email = form.get("email");
  return runAction(() => retrieveShare(getDb(), { token, email: typeof email === "string" ? email : "" }, { ip, userAgent: h.get("user-agent") }));
}
