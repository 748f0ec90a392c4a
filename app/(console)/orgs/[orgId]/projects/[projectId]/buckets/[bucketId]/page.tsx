import { notFound } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getBucketCors } from "@/lib/buckets/bucket-cors";
import { corsRulesToJson } from "@/lib/buckets/cors-json";
import { getDb } from "@/lib/db";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { removeBucketCorsAction, saveBucketCorsAction } from "./actions";
import { CorsRulesForm } from "./cors-form";

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
  return (
    <div className="space-y-6">
      <PageHeader title={bucket.name} description={`Bucket in region ${bucket.regionId}.`} />
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
