import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatAbsolute, RelativeTime } from "@/components/ui/relative-time";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import type { OrgContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { KeyKind } from "@/lib/generated/prisma/enums";
import type { KeyStatus } from "@/lib/keys/status";
import { listPendingShares } from "@/lib/shares/list-shares";
import { cancelShareAction, shareKeyAction } from "./share-actions";
import { ShareKeyDialog } from "./share-dialog";

type Props = { ctx: OrgContext; keyId: string; keyName: string; kind: KeyKind; status: KeyStatus; openShare?: boolean };

/**
 * The key page's "Share by email" button and its pending links, each cancellable. Master keys
 * cannot be shared, so they get nothing; a key that no longer works only lists leftover links.
 */
export async function KeySharesSection({ ctx, keyId, keyName, kind, status, openShare }: Props) {
  if (kind === "MASTER") return null;
  const shares = await listPendingShares(getDb(), ctx, keyId);
  const active = status === "Active";
  if (!active && shares.length === 0) return null;
  return (
    <section aria-labelledby="key-shares-heading" data-testid="key-shares">
      <div className="mb-2 flex items-center justify-between gap-4">
        <h2 id="key-shares-heading" className="text-sm font-semibold">Pending share links</h2>
        {active && <ShareKeyDialog action={shareKeyAction.bind(null, ctx.orgId, keyId)} keyName={keyName} defaultTtlHours={getEnv().KEYGATE_SHARE_TTL_HOURS} defaultOpen={openShare} />}
      </div>
      {shares.length === 0 ? (
        <p className="text-sm text-gray-500">No pending links.{active && " Use “Share by email” to send this key to someone with a one-time link."} A link disappears from here once it is used, cancelled or expired.</p>
      ) : (
        <Table>
          <THead>
            <TRow><TH>Recipient</TH><TH>Shared by</TH><TH>Sent</TH><TH>Expires</TH><TH><span className="sr-only">Actions</span></TH></TRow>
          </THead>
          <TBody>
            {shares.map((s) => (
              <TRow key={s.id}>
                <TCell><div className="max-w-64 truncate" title={s.recipientEmail}>{s.recipientEmail}</div></TCell>
                <TCell><div className="max-w-48 truncate" title={s.sharedBy ?? undefined}>{s.sharedBy ?? "—"}</div></TCell>
                <TCell><RelativeTime date={s.createdAt} /></TCell>
                <TCell><span title={formatAbsolute(s.expiresAt)}><RelativeTime date={s.expiresAt} /></span></TCell>
                <TCell className="text-right">
                  <ConfirmDialog trigger={<Button variant="ghost" size="sm">Cancel</Button>} title={`Cancel the link sent to ${s.recipientEmail}?`}
                    description="The link stops working at once and reveals nothing. You can share the key again later." confirmLabel="Cancel link"
                    cancelLabel="Keep link" destructive action={cancelShareAction.bind(null, ctx.orgId, keyId, s.id)} />
                </TCell>
              </TRow>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
