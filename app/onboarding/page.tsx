import { requireActor } from "@/lib/auth/session";
import { organizationCreationRefusal } from "@/lib/auth/signup-policy";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { listUserOrganizations } from "@/lib/orgs/create-organization";
import { Card } from "@/components/ui/card";
import { CreateOrganizationForm } from "./create-organization-form";
import Link from "next/link";

export const metadata = { title: "Create an organization" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const actor = await requireActor();
  const orgs = await listUserOrganizations(getDb(), actor.userId);
  const refusal = await organizationCreationRefusal(getDb(), getEnv(), actor);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 px-4">
      <Card className="w-full max-w-md p-6">
        <h1 className="text-base font-semibold">{orgs.length ? "Create another organization" : "Welcome to Keygate"}</h1>
        <p className="mt-1 text-sm text-gray-500">
          An organization holds your projects, buckets and keys. You will be its admin and can invite your team next.
        </p>
        {refusal ? <p role="status" className="mt-4 rounded-md bg-gray-100 p-3 text-sm text-gray-700">{refusal}</p> : <CreateOrganizationForm />}
        {orgs.length > 0 && (
          <Link href={`/orgs/${orgs[0].id}`} className="mt-4 inline-block text-sm text-blue-600 hover:underline">Back to {orgs[0].name}</Link>
        )}
      </Card>
    </main>
  );
}
