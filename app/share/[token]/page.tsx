import type { Metadata } from "next";
import { CircleSlash, KeyRound } from "lucide-react";
import { Card } from "@/components/ui/card";
import { formatAbsolute, RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/lib/db";
import { type ShareWelcome, getShareForRecipient } from "@/lib/shares/get-share";
import { SHARE_STATE_TEXT, type ShareState } from "@/lib/shares/share-state";
import { revealShareAction } from "./actions";
import { RevealForm } from "./reveal-form";

// The token in the path is a credential: keep the page out of indexes, caches and Referer headers.
export const metadata: Metadata = { title: "Shared key", robots: { index: false, follow: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * Public page a share email links to (no sign-in: the recipient may have no account). Opening
 * it changes nothing, so mail scanners that fetch links cannot use it up; the secret is revealed
 * only by the confirmation form's action.
 */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await getShareForRecipient(getDb(), token);
  return (
    <main className="flex min-h-screen items-start justify-center bg-gray-50 px-4 py-12 sm:items-center">
      <div className="w-full max-w-xl">
        <p className="mb-3 text-center text-sm font-semibold text-gray-500">Keygate</p>
        <Card className="p-6">
          {lookup.state === "ready"
            ? <Welcome share={lookup.share} action={revealShareAction.bind(null, token)} />
            : <Unavailable state={lookup.state} />}
        </Card>
      </div>
    </main>
  );
}

function Unavailable({ state }: { state: Exclude<ShareState, "ready"> }) {
  const text = SHARE_STATE_TEXT[state];
  return (
    <div data-testid="share-state" data-state={state} className="flex items-start gap-3">
      <CircleSlash aria-hidden className="mt-0.5 size-5 shrink-0 text-gray-400" />
      <div>
        <h1 className="text-base font-semibold text-gray-900">{text.title}</h1>
        <p role="alert" className="mt-2 text-sm text-gray-600">{text.message}</p>
      </div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-gray-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-gray-900">{children}</dd>
    </div>
  );
}

function Welcome({ share, action }: { share: ShareWelcome; action: Parameters<typeof RevealForm>[0]["action"] }) {
  return (
    <div className="space-y-5">
      <div className="flex items-start gap-3">
        <KeyRound aria-hidden className="mt-0.5 size-5 shrink-0 text-gray-500" />
        <div>
          <h1 className="text-base font-semibold text-gray-900">{share.sharerName} shared an S3 access key with you</h1>
          {/* Hidden once the key is revealed below (the link is spent by then); CSS only, no script. */}
          <p className="mt-1 text-sm text-gray-600 [body:has([data-testid=shared-key-revealed])_&]:hidden">
            This link works once, until {formatAbsolute(share.linkExpiresAt)} (<RelativeTime date={share.linkExpiresAt} />).
          </p>
        </div>
      </div>
      {share.message && (
        <blockquote className="whitespace-pre-wrap border-l-2 border-gray-300 pl-3 text-sm text-gray-700">{share.message}</blockquote>
      )}
      <dl className="grid grid-cols-1 gap-4 rounded-md border border-gray-200 p-4 sm:grid-cols-2" data-testid="share-details">
        <Fact label="Key">{share.keyName}</Fact>
        <Fact label="Type">{share.kind === "USER" ? "Region key pair" : "Sub key"}</Fact>
        <Fact label="Project">{share.projectName}</Fact>
        <Fact label="Region">{share.regionId}</Fact>
        <Fact label="Endpoint URL"><span className="font-mono text-xs">{share.endpoint}</span></Fact>
        <Fact label="Permissions">{share.permissions}</Fact>
        <Fact label="Buckets">{share.buckets ? share.buckets.join(", ") || "None" : "All buckets of the project"}</Fact>
        {share.prefix && <Fact label="Object prefix"><code>{share.prefix}</code></Fact>}
        {share.allowedCidrs.length > 0 && <Fact label="Source IPs">{share.allowedCidrs.join(", ")}</Fact>}
        <Fact label="Key expires">{share.keyExpiresAt ? formatAbsolute(share.keyExpiresAt) : "Never"}</Fact>
      </dl>
      <RevealForm action={action} />
    </div>
  );
}
