import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { RelativeTime, formatAbsolute } from "@/components/ui/relative-time";
import { Pagination, Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { IssueKeyButton } from "@/components/keys/issue-key-button";
import { summarizePermissions } from "@/lib/keys/permissions";
import type { KeyStatus } from "@/lib/keys/status";
import { revokeKeyAction, rotateKeyAction, setKeyDisabledAction } from "./actions";

type Row = {
  id: string; name: string; accessKeyId: string; regionId: string; secretLast4: string; permissions: string[]; allBuckets: boolean;
  bucketCount: number; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; status: KeyStatus;
  outsidePolicy?: string[]; rotationDue?: boolean;
};
type Props = { orgId: string; projectId: string; kind: "MASTER" | "SUB"; keys: Row[]; nextHref?: string; prevHref?: string };

function Expires({ date }: { date: Date | null }) {
  if (!date) return <>Never</>;
  return (
    <div>
      <div title={formatAbsolute(date)}>{date.toISOString().slice(0, 10)}</div>
      <div className="text-xs text-gray-500"><RelativeTime date={date} /></div>
    </div>
  );
}

export function KeyTable({ orgId, projectId, kind, keys, nextHref, prevHref }: Props) {
  const sub = kind === "SUB";
  return (
    <div>
      <Table>
        <THead>
          <TRow>
            <TH>Name</TH><TH>Region</TH>{sub ? <><TH>Applied to</TH><TH>Permissions</TH></> : <TH>Secret</TH>}
            <TH>Created</TH><TH>Expires</TH><TH>Last used</TH><TH>Status</TH><TH className="text-right">Actions</TH>
          </TRow>
        </THead>
        <TBody>
          {keys.map((k) => (
            <TRow key={k.id} data-testid={`key-row-${k.name}`}>
              <TCell>
                <Link href={`/orgs/${orgId}/keys/${k.id}`} className="font-medium text-blue-700 hover:underline">{k.name}</Link>
                <div className="font-mono text-xs text-gray-500">{k.accessKeyId}</div>
              </TCell>
              <TCell>{k.regionId}</TCell>
              {sub ? (
                <>
                  <TCell>{k.allBuckets ? "All buckets" : `${k.bucketCount} bucket${k.bucketCount === 1 ? "" : "s"}`}</TCell>
                  <TCell>{summarizePermissions(k.permissions)}</TCell>
                </>
              ) : (
                <TCell className="font-mono text-xs" data-testid="secret-last4">••••{k.secretLast4}</TCell>
              )}
              <TCell><RelativeTime date={k.createdAt} /></TCell>
              <TCell><Expires date={k.expiresAt} /></TCell>
              <TCell>{k.lastUsedAt ? <RelativeTime date={k.lastUsedAt} /> : "Never"}</TCell>
              <TCell>
                <StatusBadge status={k.status} />
                {!!k.outsidePolicy?.length && <Badge variant="warning" className="ml-1" title={k.outsidePolicy.join("; ")}>Outside policy</Badge>}
                {k.rotationDue && <Badge variant="warning" className="ml-1">Rotation due</Badge>}
              </TCell>
              <TCell className="whitespace-nowrap text-right">
                {k.status === "Active" && (
                  <div className="flex justify-end gap-1">
                    <IssueKeyButton action={rotateKeyAction.bind(null, orgId, k.id)} label="Rotate" variant="ghost"
                      confirm={{ title: `Rotate ${k.name}?`, description: "The access key ID stays the same. A new secret is shown once and the old secret stops working immediately.", confirmLabel: "Rotate secret" }} />
                    <ConfirmDialog trigger={<Button variant="ghost" size="sm">Revoke</Button>} title={`Revoke ${k.name}?`}
                      description="Requests with this key fail from the next one on. This cannot be undone." confirmLabel="Revoke key" destructive
                      action={revokeKeyAction.bind(null, orgId, k.id)} />
                    <ConfirmDialog trigger={<Button variant="ghost" size="sm">Disable</Button>} title={`Disable ${k.name}?`}
                      description="Requests with this key are refused until you enable it again." confirmLabel="Disable key"
                      action={setKeyDisabledAction.bind(null, orgId, k.id, true)} />
                  </div>
                )}
                {k.status === "Disabled" && (
                  <ConfirmDialog trigger={<Button variant="ghost" size="sm">Enable</Button>} title={`Enable ${k.name}?`}
                    description="The key works again from the next request on, exactly as before." confirmLabel="Enable key"
                    action={setKeyDisabledAction.bind(null, orgId, k.id, false)} />
                )}
              </TCell>
            </TRow>
          ))}
        </TBody>
      </Table>
      <Pagination prevHref={prevHref} nextHref={nextHref} label={`${sub ? "Sub" : "Master"} keys pages`} />
    </div>
  );
}
