import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { getKeyPolicy, POLICY_LABELS } from "@/lib/policies/key-policy";
import { updateKeyPolicyAction } from "./actions";
import { KeyPolicyForm } from "./key-policy-form";

export const metadata = { title: "Key policy" };

export default async function SettingsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId, "members.manage");
  const policy = await getKeyPolicy(getDb(), ctx.orgId);
  return (
    <div className="space-y-6">
      <PageHeader title="Key policy"
        description="Rules for every key of this organization, enforced when keys are created, edited and shared in the console, the API and the CLI. Existing keys are never changed: those outside a new rule are flagged in key lists." />
      <Card className="p-5">
        <KeyPolicyForm action={updateKeyPolicyAction.bind(null, orgId)} policy={policy} labels={POLICY_LABELS} />
      </Card>
    </div>
  );
}
