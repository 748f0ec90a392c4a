// GitHub secret-scanning partner reports: each reported token that is a real Keygate secret
// (prefix + checksum, then the stored secret itself) gets its key disabled or revoked, a
// key.leaked event with the URL, and an email to the owner and the organization's admins.
// Anything else is a false positive and changes nothing. The secret never reaches an event,
// a log or an email; the answer echoes the token only to GitHub, which sent it.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db";
import { sendKeyLeakedEmail } from "../email/send";
import type { EmailTransport } from "../email/transport";
import { writeEvent } from "../events/write-event";
import { unsealKeySecret } from "../keys/keyring";
import { isValidSecretChecksum } from "../keys/material";
import { lockKey } from "../keys/manage-keys";
import { notifyKeysChanged } from "../keys/notify";
import { keyStatus, revocation } from "../keys/status";
import { cancelPendingShares } from "../shares/cancel-pending-shares";
import { keyPageUrl } from "../keys/key-page-url";

export const MAX_REPORTED_TOKENS = 1000;

export const leakReportSchema = z.array(z.object({
  token: z.string().max(1024),
  type: z.string().max(256),
  url: z.string().max(4096).nullish().transform((v) => v ?? ""),
  source: z.string().max(256).nullish().transform((v) => v ?? ""),
})).max(MAX_REPORTED_TOKENS);
export type LeakReport = z.output<typeof leakReportSchema>;

/** The answer GitHub's partner program expects, one entry per reported token. */
export type LeakLabel = { token_raw: string; token_type: string; label: "true_positive" | "false_positive" };

export type LeakDeps = { transport: EmailTransport; publicUrl: string; action: "disable" | "revoke"; log?: (line: string) => void };

const BY = "GitHub secret scanning";
const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

type Candidate = { id: string; accessKeyId: string; sealedSecret: string; previousSealedSecret: string | null; previousSecretUntil: Date | null };

/**
 * The key whose current (or, during a rotation overlap, previous) secret is `token`. The short
 * display fragment narrows the search to a handful of rows (62^4 possible values); each
 * candidate is unsealed and compared in constant time.
 */
async function findKeyBySecret(db: Tx, token: string): Promise<Candidate | null> {
  const last4 = token.slice(-4);
  const candidates = await db.accessKey.findMany({
    where: { OR: [{ secretLast4: last4 }, { previousSecretLast4: last4 }] },
    select: { id: true, accessKeyId: true, sealedSecret: true, previousSealedSecret: true, previousSecretUntil: true },
    take: 1000,
  });
  const want = digest(token);
  const matches = (sealed: string, accessKeyId: string) => {
    try {
      return timingSafeEqual(digest(unsealKeySecret({ accessKeyId, sealedSecret: sealed })), want);
    } catch {
      return false; // a row sealed with a key this process lacks cannot be this token's key
    }
  };
  return candidates.find((k) => matches(k.sealedSecret, k.accessKeyId)
    || (!!k.previousSealedSecret && !!k.previousSecretUntil && k.previousSecretUntil > new Date() && matches(k.previousSealedSecret, k.accessKeyId))) ?? null;
}

type Handled = { keyId: string; orgId: string; projectId: string; name: string; accessKeyId: string; ownerId: string; action: "disabled" | "revoked" | "none" };

/** Switches the key off (if it still works) and records key.leaked, in one transaction. */
async function containLeak(db: Db, keyId: string, item: LeakReport[number], action: LeakDeps["action"]): Promise<Handled> {
  return db.$transaction(async (tx) => {
    // Row lock: two reports of one key at once must not both act.
    await lockKey(tx, keyId);
    const key = await tx.accessKey.findUniqueOrThrow({ where: { id: keyId } });
    const status = keyStatus(key);
    // A region key pair cannot be revoked (only reset by its owner): disabling is what stops it.
    const effective = action === "revoke" && key.kind !== "USER" ? "revoke" : "disable";
    let done: Handled["action"] = "none";
    const ref = { orgId: key.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: null };
    if (status === "Active" && effective === "disable") {
      await tx.accessKey.update({ where: { id: key.id }, data: { disabledAt: new Date() } });
      await writeEvent(tx, { ...ref, type: "key.disabled", data: { kind: key.kind, by: BY, reason: "secret found in public" } });
      done = "disabled";
    } else if ((status === "Active" || status === "Disabled") && effective === "revoke") {
      await tx.accessKey.update({ where: { id: key.id }, data: revocation() });
      await writeEvent(tx, { ...ref, type: "key.revoked", data: { kind: key.kind, by: BY, reason: "secret found in public" } });
      await cancelPendingShares(tx, [{ id: key.id, orgId: key.orgId, projectId: key.projectId, accessKeyId: key.accessKeyId }], null, "key revoked: secret found in public");
      done = "revoked";
    } else if (status === "Disabled") {
      done = "disabled"; // already off: it stays off
    }
    await writeEvent(tx, { ...ref, type: "key.leaked", data: { by: BY, url: item.url, source: item.source, type: item.type, action: done } });
    if (done !== "none") await notifyKeysChanged(tx, [key.accessKeyId]);
    return { keyId: key.id, orgId: key.orgId, projectId: key.projectId, name: key.name, accessKeyId: key.accessKeyId, ownerId: key.ownerId, action: done };
  });
}

/** The owner (while still a member) and every ADMIN of the key's organization, once each. */
async function notifyPeople(db: Db, deps: LeakDeps, handled: Handled, item: LeakReport[number]) {
  const [project, people] = await Promise.all([
    db.project.findUnique({ where: { id: handled.projectId }, select: { name: true } }),
    db.user.findMany({
      where: { OR: [{ id: handled.ownerId, memberships: { some: { orgId: handled.orgId } } }, { memberships: { some: { orgId: handled.orgId, role: "ADMIN" } } }] },
      select: { email: true },
    }),
  ]);
  const keyUrl = keyPageUrl(deps.publicUrl, handled.orgId, handled.keyId);
  for (const to of new Set(people.map((p) => p.email.toLowerCase()))) {
    await sendKeyLeakedEmail(deps.transport, {
      to, keyName: handled.name, accessKeyId: handled.accessKeyId, project: project?.name ?? "", foundAt: item.url, reportedAt: new Date(), action: handled.action, keyUrl,
    }).catch((err: Error) => (deps.log ?? console.error)(`[leaks] email about key ${handled.keyId} to an admin or owner failed: ${err.message}`));
  }
}

/**
 * Handles one verified report. Imported keys carry no checksum and are never recognized: their
 * secrets look like any other provider's, so GitHub reports them to that provider, not to us.
 */
export async function handleLeakReport(db: Db, deps: LeakDeps, report: LeakReport): Promise<LeakLabel[]> {
  const answer: LeakLabel[] = [];
  for (const item of report) {
    const key = isValidSecretChecksum(item.token) ? await findKeyBySecret(db, item.token) : null;
    answer.push({ token_raw: item.token, token_type: item.type, label: key ? "true_positive" : "false_positive" });
    if (!key) continue;
    const handled = await containLeak(db, key.id, item, deps.action);
    await notifyPeople(db, deps, handled, item);
  }
  return answer;
}
