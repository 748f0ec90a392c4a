import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";
import { API_RATE_LIMIT } from "@/lib/api/handler";
import { buildOpenApiDocument, OPENAPI_PATH } from "@/lib/api/openapi";
import { buildReference, type ReferenceField, type ReferenceOperation } from "@/lib/api/reference";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getEnv } from "@/lib/env";
import { listRegions } from "@/lib/storage/regions";

export const metadata = { title: "Management API" };

const METHOD_VARIANT: Record<string, BadgeVariant> = { GET: "success", POST: "accent", PATCH: "warning", DELETE: "danger" };

/** Descriptions use `backticks` for code, as in the OpenAPI document; line breaks (lists) are kept. */
function Prose({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <span className="whitespace-pre-line">
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") ? <code key={i} className="rounded bg-gray-100 px-1 text-[12px]">{part.slice(1, -1)}</code> : part)}
    </span>
  );
}

function Fields({ title, fields }: { title: string; fields: ReferenceField[] }) {
  if (fields.length === 0) return null;
  return (
    <div className="space-y-1.5">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-gray-500">{title}</h4>
      <Table>
        <THead><TRow><TH>Field</TH><TH>Type</TH><TH>Description</TH></TRow></THead>
        <TBody>
          {fields.map((f) => (
            <TRow key={`${f.where ?? ""}${f.name}`}>
              <TCell className="whitespace-nowrap font-mono text-xs">
                {f.name}{f.required ? <span className="text-red-600" title="required">*</span> : null}
                {f.where && <span className="ml-1 font-sans text-gray-400">({f.where})</span>}
              </TCell>
              <TCell className="font-mono text-xs text-gray-600">{f.type}</TCell>
              <TCell className="text-[13px]">
                <Prose text={f.description} />
                {f.default && <span className="block text-xs text-gray-500">Default: <code>{f.default}</code></span>}
              </TCell>
            </TRow>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

function OperationCard({ op }: { op: ReferenceOperation }) {
  return (
    <Card id={op.id}>
      <CardHeader
        title={<span className="flex flex-wrap items-center gap-2"><Badge variant={METHOD_VARIANT[op.method] ?? "neutral"}>{op.method}</Badge><code className="text-sm">{op.path}</code></span>}
        description={op.summary}
      />
      <CardContent className="space-y-4">
        <p className="text-sm text-gray-700"><Prose text={op.description} /></p>
        <Fields title="Parameters" fields={op.params} />
        {op.body && <Fields title={`Request body (${op.body.type}, JSON)`} fields={op.body.fields} />}
        {op.body?.description && <p className="text-xs text-gray-500"><Prose text={op.body.description} /></p>}
        <Fields title={`Response ${op.response.status} (${op.response.type})`} fields={op.response.fields} />
        <p className="text-xs text-gray-500">Errors: {op.errors.map((e) => e.status).join(", ")}</p>
        <CodeBlock code={op.curl} label="Example" copyLabel={`Copy ${op.summary} example`} />
      </CardContent>
    </Card>
  );
}

export default async function ApiDocsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  await requireOrgContext(orgId, "keys.master");
  const { publicUrl } = getEnv();
  const { operations, schemas } = buildReference(buildOpenApiDocument(publicUrl), publicUrl);
  const endpoint = listRegions()[0]?.endpoint ?? "";
  return (
    <div className="space-y-6">
      <PageHeader title="Management API" description="Automate sub keys with a master key: create, limit, rotate, revoke and share them, list buckets and read key events. Manage the organization's projects, buckets, members' roles and master keys with an organization API token." />
      <Card>
        <CardHeader title="Getting started" />
        <CardContent className="space-y-3 text-sm text-gray-700">
          <p>
            Authenticate with HTTP Basic: a master key&apos;s access key id as the user name and its secret as the password. A master key acts
            on its own project only, with its owner&apos;s rights; a revoked or expired master key gets 401.
          </p>
          <p>
            Organization operations (projects, project buckets, members, master keys) take an organization API token instead:{" "}
            <code>Authorization: Bearer kgt_…</code>. Admins create tokens under API tokens; a token acts with its creator&apos;s rights and
            every call is recorded in the organization&apos;s events.
          </p>
          <p>
            Errors always look like <code>{`{ "error": { "code": "...", "message": "..." } }`}</code>. Each master key may make {API_RATE_LIMIT.limit} requests
            per {API_RATE_LIMIT.windowMs / 1000} seconds (429 with <code>Retry-After</code> beyond). Every call is recorded in the master key&apos;s events.
          </p>
          <p>
            Machine-readable: <a className="text-blue-700 hover:underline" href={OPENAPI_PATH}>{`${publicUrl}${OPENAPI_PATH}`}</a> (OpenAPI 3.1).
          </p>
          <CodeBlock label="Use a new sub key with any S3 client" code={`export AWS_ACCESS_KEY_ID=<accessKeyId> AWS_SECRET_ACCESS_KEY=<secret>\naws s3 ls --endpoint-url ${endpoint}`} />
        </CardContent>
      </Card>
      <nav aria-label="Operations" className="flex flex-wrap gap-2 text-xs">
        {operations.map((op) => <a key={op.id} href={`#${op.id}`} className="rounded border border-gray-200 px-2 py-1 hover:bg-gray-50">{op.summary}</a>)}
      </nav>
      {operations.map((op) => <OperationCard key={op.id} op={op} />)}
      <section className="space-y-4">
        <h2 className="text-base font-semibold">Schemas</h2>
        {schemas.map((s) => (
          <Card key={s.name} id={`schema-${s.name}`}>
            <CardHeader title={s.name} description={<Prose text={s.description} />} />
            <CardContent>
              {s.fields.length ? <Fields title="Fields" fields={s.fields} /> : <p className="font-mono text-xs text-gray-600">{s.type}</p>}
            </CardContent>
          </Card>
        ))}
      </section>
    </div>
  );
}
