"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { EyeOff, Eye as EyeIcon, TriangleAlert } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";

export type IssuedKeyView = { name: string; accessKeyId: string; secret: string; regionId: string; endpoint: string };

/** The four values a client needs, each with a copy button (creation dialog and share reveal page). */
export function CredentialRows({ view, testIdPrefix, className = "" }: { view: Omit<IssuedKeyView, "name">; testIdPrefix: string; className?: string }) {
  return (
    <div className={`space-y-3 ${className}`}>
      <CredentialRow label="Access key ID" value={view.accessKeyId} testId={`${testIdPrefix}-access-key-id`} />
      <CredentialRow label="Secret access key" value={view.secret} testId={`${testIdPrefix}-secret`} secret />
      <CredentialRow label="Region" value={view.regionId} testId={`${testIdPrefix}-region`} />
      <CredentialRow label="Endpoint URL" value={view.endpoint} testId={`${testIdPrefix}-endpoint`} />
    </div>
  );
}

/**
 * One credential value with its copy button. A secret starts hidden (someone may be looking at
 * the screen) behind an eye toggle; copying works either way. The page never shows it again.
 */
function CredentialRow({ label, value, testId, secret = false }: { label: string; value: string; testId: string; secret?: boolean }) {
  const [shown, setShown] = useState(!secret);
  const Eye = shown ? EyeOff : EyeIcon;
  return (
    <div>
      <div className="text-xs font-medium text-gray-500">{label}</div>
      <div className="mt-1 flex items-center gap-2">
        <code data-testid={testId} data-hidden={!shown || undefined} className="flex-1 break-all rounded-md bg-gray-100 px-2 py-1.5 font-mono text-sm">
          {shown ? value : "•".repeat(Math.min(value.length, 40))}
        </code>
        {secret && (
          <Button type="button" variant="ghost" size="sm" aria-pressed={shown} aria-label={shown ? "Hide secret" : "Show secret"} title={shown ? "Hide secret" : "Show secret"}
            onClick={() => setShown((v) => !v)}>
            <Eye aria-hidden="true" className="size-4" />
          </Button>
        )}
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

export function clientSnippets(k: IssuedKeyView) {
  const profile = k.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "keygate";
  const awsCli = `aws configure set aws_access_key_id ${k.accessKeyId} --profile ${profile}
aws configure set aws_secret_access_key ${k.secret} --profile ${profile}
aws configure set region ${k.regionId} --profile ${profile}
aws configure set endpoint_url ${k.endpoint} --profile ${profile}
aws s3 ls --profile ${profile}`;
  const envVars = `export AWS_ACCESS_KEY_ID=${k.accessKeyId}
export AWS_SECRET_ACCESS_KEY=${k.secret}
export AWS_REGION=${k.regionId}
export AWS_ENDPOINT_URL=${k.endpoint}`;
  return { awsCli, envVars };
}

/** Shows a freshly issued secret once; closing requires an explicit "I have saved it". */
export function IssuedKeyDialog({ issued, onClose }: { issued: IssuedKeyView | null; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const checkId = useId();
  if (!issued) return null;
  const snippets = clientSnippets(issued);
  const close = () => {
    if (!saved) return;
    setSaved(false);
    onClose();
  };
  return (
    <Dialog.Root open onOpenChange={(open) => !open && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(680px,95vw)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl"
          onEscapeKeyDown={(e) => !saved && e.preventDefault()}
          onPointerDownOutside={(e) => e.preventDefault()}
        >
          <Dialog.Title className="text-base font-semibold">Save your secret key: {issued.name}</Dialog.Title>
          <Dialog.Description className="mt-2 flex items-start gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            <TriangleAlert className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
            This is the only time the secret is shown. Copy it now and store it safely; afterwards only its last 4 characters are visible.
          </Dialog.Description>
          <CredentialRows view={issued} testIdPrefix="issued" className="mt-4" />
          <details className="mt-4 rounded-md border border-gray-200 p-3 text-sm">
            <summary className="cursor-pointer font-medium">Client setup snippets</summary>
            <CodeBlock label="aws CLI profile" code={snippets.awsCli} className="mt-3" />
            <CodeBlock label="Environment variables" code={snippets.envVars} className="mt-3" />
          </details>
          <div className="mt-5 flex items-center justify-between gap-4">
            <label htmlFor={checkId} className="flex items-center gap-2 text-sm">
              <input id={checkId} type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} className="h-4 w-4" />
              I have saved the secret
            </label>
            <Button onClick={close} disabled={!saved}>Close</Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
