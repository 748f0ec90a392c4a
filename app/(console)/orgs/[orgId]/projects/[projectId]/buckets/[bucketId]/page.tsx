import { notFound } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getBucketCors } from "@/lib/buckets/bucket-cors";
import { getBucketSettings } from "@/lib/buckets/bucket-settings";
import { corsRulesToJson } from "@/lib/buckets/cors-json";
import { getDb } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { getRegionStorage } from "@/lib/storage/regions";
import { removeBucketCorsAction, saveBucketCorsAction, setBucketVersioningAction, setDefaultRetentionAction } from "./actions";
import { CorsRulesForm } from "./cors-form";
import { VersioningCard } from "./versioning-card";

type Params = { params: Promise<{ orgId: string; projectId: string; bucketId: string }> };

const EXAMPLE = corsRulesToJson([
  { allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET", "PUT", "POST"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 600 },
]);

export default async function BucketPage({ params }: Params) {
  const { orgId, projectId, bucketId } = await params;
  const ctx = await requireOrgContext(orgId);
  if (!can(ctx.role, "buckets.manage")) notFound();
  const db = getDb();
  await orNotFound(getProjectOrThrow(db, ctx, projectId));
  const bucket = await db.bucket.findFirst({ where: { id: bucketId, projectId } });
  if (!bucket) notFound();
  const rules = await orNotFound(getBucketCors(db, ctx, bucket.id));
  // The region's storage holds these; when it cannot answer, the page still shows the rest.
  const settings = await getBucketSettings(db, ctx, bucket.id, getRegionStorage).then(
    (s) => ({ s, error: undefined }),
    (err) => ({ s: null, error: isAppError(err) ? err.message : "The bucket's settings could not be read." }),
  );
  const bound = (f: typeof setBucketVersioningAction, state: "Enabled" | "Suspended") => f.bind(null, orgId, projectId, bucket.id, state);
  return (
    <div className="space-y-6">
      <PageHeader title={bucket.name} description={`Bucket in region ${bucket.regionId}.`} />
      <VersioningCard settings={settings.s} error={settings.error}
        enableVersioning={bound(setBucketVersioningAction, "Enabled")} suspendVersioning={bound(setBucketVersioningAction, "Suspended")}
        setRetention={setDefaultRetentionAction.bind(null, orgId, projectId, bucket.id)} />
      <Card>
        <CardHeader title="CORS" description={rules
          ? "Pages on these origins may call the gateway for this bucket: preflights are answered from these rules, without credentials."
          : "No CORS rules: browsers on other origins cannot use this bucket. The example below allows uploads from one web app."} />
        <CardContent className="space-y-3">
          <CorsRulesForm action={saveBucketCorsAction.bind(null, orgId, projectId, bucket.id)} rules={rules ? corsRulesToJson(rules) : EXAMPLE} />
          {rules && (
            <ConfirmDialog trigger={<Button variant="ghost" size="sm">Remove CORS rules</Button>} title="Remove the CORS rules?"
              description="Browsers on other origins stop being able to use this bucket (within 5 seconds on every gateway)." confirmLabel="Remove" destructive
              action={removeBucketCorsAction.bind(null, orgId, projectId, bucket.id)} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
