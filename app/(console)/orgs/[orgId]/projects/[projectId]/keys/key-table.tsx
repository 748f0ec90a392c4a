import Link from "next/link";
import { StatusBadge } from "@/components/ui/badge";
import { RelativeTime, formatAbsolute } from "@/components/ui/relative-time";
import { Pagination, Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { KeyFlagBadges } from "@/components/keys/key-flag-badges";
import { KeyOptionsMenu } from "@/components/keys/key-options-menu";
import { summarizePermissions } from "@/lib/keys/permissions";
import type { KeyStatus } from "@/lib/keys/status";
import { revokeKeyAction, rotateKeyAction, setKeyDisabledAction } from "./actions";

type Row = {
  id: string; name: string; accessKeyId: string; regionId: string; secretLast4: string; permissions: string[]; allBuckets: boolean;
  bucketNames: string[]; prefix: string | null; allowedCidrs: string[]; owner: { email: string; name: string | null };
  expiresAt: Date | null; lastUsedAt: Date | null; status: KeyStatus;
  outsidePolicy?: string[]; rotationDue?: boolean; previousSecretUntil?: Date | null; imported?: boolean;
};
type Props = { orgId: string; kind: "MASTER" | "SUB"; keys: Row[]; nextHref?: string; prevHref?: string };

/** Expiry on one line; "in 14 days" only while the key still works (a revoked key expires never). */
function Expires({ date, status }: { date: Date | null; status: KeyStatus }) {
  if (!date) return <span className="text-gray-500">Never</span>;
  return (
    <div className="whitespace-nowrap" title={formatAbsolute(date)}>
      <div>{date.toISOString().slice(0, 10)}</div>
      {status === "Active" && <div className="text-xs text-gray-500"><RelativeTime date={date} /></div>}
    </div>
  );
}

/** Which buckets, and the prefix and source-IP limits, each line truncated with the full value on hover. */
function AppliedTo({ k }: { k: Row }) {
  const buckets = k.allBuckets ? "All buckets" : k.bucketNames.join(", ") || "No buckets";
  return (
    <div className="max-w-40 text-[13px]">
      <div className="truncate" title={buckets}>{buckets}</div>
      {k.prefix && <div className="truncate text-xs text-gray-500" title={`Prefix ${k.prefix}`}>Prefix <code>{k.prefix}</code></div>}
      {k.allowedCidrs.length > 0 && <div className="truncate text-xs text-gray-500" title={`From ${k.allowedCidrs.join(", ")}`}>From {k.allowedCidrs.join(", ")}</div>}
    </div>
  );
}

export function KeyTable({ orgId, kind, keys, nextHref, prevHref }: Props) {
  const sub = kind === "SUB";
  return (
    <div>
      {/* Tighter cell padding than other tables: eight columns must fit 1280 px with long names. */}
      <Table className="[&_td]:px-3 [&_th]:px-3">
        <THead>
          <TRow>
            <TH>Key</TH><TH>Owner</TH>{sub ? <><TH>Applied to</TH><TH>Permissions</TH></> : <TH>Secret</TH>}
            <TH>Expires</TH><TH>Last used</TH><TH><span className="sr-only">Options</span></TH>
          </TRow>
        </THead>
        <TBody>
          {keys.map((k) => (
            <TRow key={k.id} data-testid={`key-row-${k.name}`}>
              <TCell>
                <div className="flex max-w-56 items-center gap-2">
                  <Link href={`/orgs/${orgId}/keys/${k.id}`} title={k.name} className="truncate font-medium text-blue-700 hover:underline">{k.name}</Link>
                  <StatusBadge status={k.status} className="shrink-0" />
                  <KeyFlagBadges outsidePolicy={k.outsidePolicy} rotationDue={k.rotationDue} previousSecretUntil={k.previousSecretUntil} />
                </div>
                <div className="whitespace-nowrap font-mono text-xs text-gray-500">{k.accessKeyId} · {k.regionId}</div>
              </TCell>
              <TCell><div className="max-w-36 truncate text-[13px]" title={k.owner.email}>{k.owner.name ?? k.owner.email}</div></TCell>
              {sub ? (
                <>
                  <TCell><AppliedTo k={k} /></TCell>
                  <TCell className="min-w-28 text-[13px]">{summarizePermissions(k.permissions)}</TCell>
                </>
              ) : (
                <TCell className="font-mono text-xs" data-testid="secret-last4">••••{k.secretLast4}</TCell>
              )}
              <TCell><Expires date={k.expiresAt} status={k.status} /></TCell>
              <TCell className="whitespace-nowrap"><RelativeTime date={k.lastUsedAt} fallback="Never" /></TCell>
              <TCell className="w-10 text-right">
                <KeyOptionsMenu name={k.name} href={`/orgs/${orgId}/keys/${k.id}`} canRotate={k.status === "Active"} canShare={sub && k.status === "Active"}
                  canRevoke={k.status !== "Revoked"} rotate={rotateKeyAction.bind(null, orgId, k.id)} revoke={revokeKeyAction.bind(null, orgId, k.id)}
                  disabled={k.status === "Disabled"} canToggleDisabled={k.status === "Active" || k.status === "Disabled"}
                  setDisabled={setKeyDisabledAction.bind(null, orgId, k.id)} />
              </TCell>
            </TRow>
          ))}
        </TBody>
      </Table>
      <Pagination prevHref={prevHref} nextHref={nextHref} label={`${sub ? "Sub" : "Master"} keys pages`} />
    </div>
  );
}
