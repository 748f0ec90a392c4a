import Link from "next/link";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { CurrentProject } from "@/components/shell/project-hint";
import { RelativeTime, formatAbsolute } from "@/components/ui/relative-time";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { plainIp, describeEvent } from "@/lib/events/registry";
import { getKeyDetail } from "@/lib/keys/get-key";
import { summarizePermissions } from "@/lib/keys/permissions";
import { PERMISSION_OPTIONS, PERMISSION_PRESET_OPTIONS } from "@/lib/keys/permission-options";
import { OVERLAP_PRESETS, overlapOpen } from "@/lib/keys/rotate-key";
import { RotateKeyButton } from "@/components/keys/rotate-key-button";
import { revokeKeyAction, rotateKeyAction, setKeyDisabledAction, updateSubKeyAction } from "../../projects/[projectId]/keys/actions";
import { DescriptionForm } from "./description-form";
import { EditSubKeyForm } from "./edit-sub-key-form";
import { endOverlapAction, updateKeyDescriptionAction } from "./lifecycle-actions";
import { presignUploadAction } from "./presign-actions";
import { PresignUploadForm } from "./presign-form";
import { KeySharesSection } from "./share-section";

type Params = { params: Promise<{ orgId: string; keyId: string }>; searchParams: Promise<{ share?: string }> };

const KIND_LABEL = { MASTER: "Master key", SUB: "Sub key", USER: "Region key pair" } as const;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-gray-500">{label}</dt>
      <dd className="mt-0.5 text-sm [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

export default async function KeyDetailPage({ params, searchParams }: Params) {
  const { orgId, keyId } = await params;
  const { share } = await searchParams;
  const ctx = await requireOrgContext(orgId, "keys.use");
  const { key, policyFlags, project, owner, creator, buckets, region, events } = await orNotFound(getKeyDetail(getDb(), ctx, keyId));
  const active = key.status === "Active";
  const editable = active || key.status === "Disabled";
  const overlap = overlapOpen(key);
  const regionBuckets = key.kind === "SUB"
    ? await getDb().bucket.findMany({ where: { projectId: key.projectId, regionId: key.regionId }, select: { id: true, name: true }, orderBy: { name: "asc" } })
    : [];
  return (
    <div className="space-y-6">
      <CurrentProject id={key.projectId} />
      <PageHeader title={key.name} eyebrow={KIND_LABEL[key.kind]} description={`Project ${project.name}, region ${key.regionId}`}
        actions={editable ? (
          <div className="flex gap-2">
            {active && key.kind !== "USER" && (
              <RotateKeyButton action={rotateKeyAction.bind(null, orgId, key.id)} keyName={key.name} options={OVERLAP_PRESETS} overlapOpen={overlap} />
            )}
            {active ? (
              <ConfirmDialog trigger={<Button variant="secondary">Disable</Button>} title={`Disable ${key.name}?`}
                description="Requests with this key are refused from the next one on, until you enable it again. Nothing else about the key changes."
                confirmLabel="Disable key" action={setKeyDisabledAction.bind(null, orgId, key.id, true)} />
            ) : (
              <ConfirmDialog trigger={<Button variant="secondary">Enable</Button>} title={`Enable ${key.name}?`}
                description="The key works again from the next request on, exactly as before it was disabled." confirmLabel="Enable key"
                action={setKeyDisabledAction.bind(null, orgId, key.id, false)} />
            )}
            {key.kind !== "USER" && (
              <ConfirmDialog trigger={<Button variant="danger">Revoke</Button>} title={`Revoke ${key.name}?`}
                description="Requests with this key fail from the next one on. This cannot be undone." confirmLabel="Revoke key" destructive
                action={revokeKeyAction.bind(null, orgId, key.id)} />
            )}
          </div>
        ) : undefined} />
      {overlap && key.previousSecretUntil && (
        <Card className="flex flex-wrap items-center justify-between gap-3 border-amber-300 bg-amber-50 p-4" data-testid="overlap-banner">
          <p className="text-sm">
            Previous secret <span className="font-mono text-xs">••••{key.previousSecretLast4}</span> valid until {formatAbsolute(key.previousSecretUntil)}{" "}
            (<RelativeTime date={key.previousSecretUntil} />). S3 request events say which secret signed each request.
          </p>
          <ConfirmDialog trigger={<Button variant="secondary" size="sm">End overlap now</Button>} title="End the overlap now?"
            description={`The previous secret ••••${key.previousSecretLast4} stops working from the next request on and is destroyed.`}
            confirmLabel="End overlap" destructive action={endOverlapAction.bind(null, orgId, key.id)} />
        </Card>
      )}
      <Card className="p-5">
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Fact label="Status">
            <StatusBadge status={key.status} />
            {policyFlags.rotationDue && <Badge variant="warning" className="ml-1">Rotation due</Badge>}
            {key.imported && <Badge variant="outline" className="ml-1" title="Imported from another S3 service: the secret has no Keygate checksum, so leaked-key reports cannot recognize it">Imported</Badge>}
            {policyFlags.outsidePolicy.length > 0 && (
              <span className="mt-1 block text-xs text-amber-700" data-testid="outside-policy">Outside policy: {policyFlags.outsidePolicy.join("; ")}</span>
            )}
          </Fact>
          <Fact label="Access key ID"><span className="inline-flex items-center gap-1 font-mono text-xs">{key.accessKeyId}<CopyButton value={key.accessKeyId} label="Copy access key ID" /></span></Fact>
          <Fact label="Secret">
            <span className="font-mono text-xs" data-testid="secret-last4">••••{key.secretLast4}</span>
            {overlap && <span className="ml-1 text-xs text-gray-500" data-testid="previous-secret-last4">(current; previous ••••{key.previousSecretLast4} still valid)</span>}
          </Fact>
          <Fact label="Endpoint URL"><span className="inline-flex items-center gap-1 font-mono text-xs">{region.endpoint}<CopyButton value={region.endpoint} label="Copy endpoint" /></span></Fact>
          <Fact label="Project"><Link className="text-blue-700 hover:underline" href={`/orgs/${orgId}/projects/${project.id}`}>{project.name}</Link></Fact>
          <Fact label="Region">{key.regionId}</Fact>
          <Fact label="Owner">{owner?.name ?? owner?.email ?? "—"}</Fact>
          <Fact label="Created by">{creator?.name ?? creator?.email ?? "—"} · <RelativeTime date={key.createdAt} /></Fact>
          <Fact label="Expires">{key.expiresAt ? <>{formatAbsolute(key.expiresAt)}{active && <> (<RelativeTime date={key.expiresAt} />)</>}</> : "Never"}</Fact>
          <Fact label="Last used">{key.lastUsedAt ? <><RelativeTime date={key.lastUsedAt} /> · {key.lastUsedOp} from {plainIp(key.lastUsedIp)}</> : "Never"}</Fact>
          {key.kind === "SUB" && (
            <>
              <Fact label="Permissions">{summarizePermissions(key.permissions)}</Fact>
              <Fact label="Buckets">{key.allBuckets ? "All buckets of the project" : buckets.map((b) => <Badge key={b.id} className="mr-1 max-w-full overflow-hidden" title={b.name}><span className="truncate">{b.name}</span></Badge>)}</Fact>
              <Fact label="Object prefix">{key.prefix ? <code>{key.prefix}</code> : "Any"}</Fact>
              <Fact label="Source IPs">{key.allowedCidrs.length ? key.allowedCidrs.join(", ") : "Any"}</Fact>
            </>
          )}
          {key.kind === "MASTER" && <Fact label="Access">Every bucket of the project, including bucket create and delete</Fact>}
        </dl>
        <div className="mt-4 border-t border-gray-100 pt-4">
          <DescriptionForm action={updateKeyDescriptionAction.bind(null, orgId, key.id)} description={key.description} />
        </div>
      </Card>
      {key.kind === "SUB" && editable && (
        <Card className="p-5">
          <EditSubKeyForm action={updateSubKeyAction.bind(null, orgId, key.id)} name={key.name} buckets={regionBuckets}
            defaults={{ permissions: key.permissions, allBuckets: key.allBuckets, bucketIds: buckets.map((b) => b.id), prefix: key.prefix ?? "", allowedCidrs: key.allowedCidrs }}
            permissions={PERMISSION_OPTIONS} presets={PERMISSION_PRESET_OPTIONS} />
        </Card>
      )}
      {key.kind === "SUB" && active && (
        <Card className="p-5">
          <h2 className="mb-1 text-sm font-semibold">Presigned upload</h2>
          <p className="mb-4 text-sm text-gray-600">How a web application lets its users upload straight to storage with this key: a URL or form fields signed with its secret, valid for a chosen time and refused like any request of this key outside its scope.</p>
          <PresignUploadForm action={presignUploadAction.bind(null, orgId, key.id)} buckets={(key.allBuckets ? regionBuckets : buckets).map((b) => b.name)} />
        </Card>
      )}
      <KeySharesSection ctx={ctx} keyId={key.id} keyName={key.name} kind={key.kind} status={key.status} openShare={share === "1"} />
      <section>
        <div className="mb-2 flex items-center justify-between">
          <h2 className="text-sm font-semibold">Recent management events</h2>
          <Link href={`/orgs/${orgId}/keys/${key.id}/events`} className="text-sm text-blue-700 hover:underline">All events, S3 requests and export →</Link>
        </div>
        {events.length === 0 ? <p className="text-sm text-gray-500">No events yet. Changes to this key (edits, rotations, shares) appear here; its S3 requests are on the events page.</p> : (
          <ol className="divide-y divide-gray-100 rounded-lg border border-gray-200 bg-white">
            {events.map((e) => (
              <li key={String(e.id)} className="flex items-center justify-between gap-4 px-4 py-2.5 text-sm">
                <span className="min-w-0 [overflow-wrap:anywhere]">{describeEvent(e, key.name)}</span>
                <span className="shrink-0 text-xs text-gray-500"><RelativeTime date={e.at} /></span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
