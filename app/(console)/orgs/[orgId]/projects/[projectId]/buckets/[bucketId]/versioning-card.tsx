import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { type ConfirmAction, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { type BucketSettings, describeRetention } from "@/lib/buckets/bucket-settings";
import type { FormAction } from "@/components/forms/action-form";
import { RetentionForm } from "./retention-form";

const STATE_TEXT = {
  Unversioned: "Objects are overwritten and deleted for good.",
  Enabled: "Every write keeps the previous version; deletes leave a delete marker.",
  Suspended: "New writes replace the null version; versions kept so far remain.",
} as const;

type Props = {
  settings: BucketSettings | null;
  /** Why the settings could not be read (the region's storage refused or is down). */
  error?: string;
  enableVersioning: ConfirmAction;
  suspendVersioning: ConfirmAction;
  setRetention: FormAction;
};

/** Versioning state and Object Lock settings, read from the region's storage; the page is ADMIN-only. */
export function VersioningCard({ settings, error, enableVersioning, suspendVersioning, setRetention }: Props) {
  if (!settings) {
    return (
      <Card>
        <CardHeader title="Versioning and Object Lock" />
        <CardContent><p role="alert" className="text-sm text-red-700">{error}</p></CardContent>
      </Card>
    );
  }
  const { versioning, objectLock } = settings;
  return (
    <Card>
      <CardHeader title="Versioning and Object Lock" />
      <CardContent className="space-y-4 text-sm">
        <div className="space-y-2" data-testid="bucket-versioning">
          <p><span className="font-medium">Versioning:</span> <Badge variant={versioning === "Enabled" ? "success" : versioning === "Suspended" ? "warning" : "neutral"}>{versioning}</Badge></p>
          <p className="text-gray-600">{STATE_TEXT[versioning]}</p>
          <div className="flex gap-2">
            {versioning !== "Enabled" && (
              <ConfirmDialog trigger={<Button variant="secondary" size="sm">Enable versioning</Button>} title="Enable versioning?"
                description="Every overwrite and delete then keeps the previous version (stored, and counted, until deleted by version). Versioning can later be suspended, but the bucket can never return to unversioned."
                confirmLabel="Enable versioning" action={enableVersioning} />
            )}
            {versioning === "Enabled" && !objectLock.enabled && (
              <ConfirmDialog trigger={<Button variant="ghost" size="sm">Suspend versioning</Button>} title="Suspend versioning?"
                description="New writes then replace the object's null version instead of adding versions; the versions kept so far stay. The bucket can never return to unversioned: you can only enable versioning again."
                confirmLabel="Suspend versioning" action={suspendVersioning} />
            )}
          </div>
          {versioning === "Enabled" && objectLock.enabled && (
            <p className="text-xs text-gray-500">Versioning of a bucket with Object Lock cannot be suspended.</p>
          )}
        </div>
        <div className="space-y-2 border-t border-gray-100 pt-4" data-testid="bucket-object-lock">
          <p><span className="font-medium">Object Lock:</span> <Badge variant={objectLock.enabled ? "accent" : "neutral"}>{objectLock.enabled ? "Enabled" : "Not enabled"}</Badge></p>
          {objectLock.enabled ? (
            <>
              <p><span className="font-medium">Default retention:</span> <span data-testid="default-retention">{describeRetention(objectLock.defaultRetention)}</span></p>
              <p className="text-gray-600">
                New versions get this retention unless the upload sets its own. GOVERNANCE can be bypassed by keys with the Bypass governance retention permission; COMPLIANCE by nobody until it ends.
              </p>
              <RetentionForm action={setRetention} current={objectLock.defaultRetention} />
            </>
          ) : (
            <p className="text-gray-600">
              This bucket has no Object Lock. It is chosen when a bucket is created (S3 clients with a master key may also enable it on a versioned bucket with PutObjectLockConfiguration); once enabled it is never turned off.
            </p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
