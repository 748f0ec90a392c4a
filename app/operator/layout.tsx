import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { KeyRound } from "lucide-react";
import { Header } from "@/components/shell/header";
import { requireActor } from "@/lib/auth/session";
import { isOperator } from "@/lib/operators";

export const dynamic = "force-dynamic";

/**
 * The operator area (read-only): every organization and the events of the whole instance, for
 * the emails in KEYGATE_OPERATOR_EMAILS. Everyone else gets 404, as if it did not exist. Each
 * page checks again: Next renders layouts and pages in parallel, so a layout check alone
 * would not stop a page from loading its data.
 */
export default async function OperatorLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  if (!isOperator(actor.email)) notFound();
  return (
    <div className="min-h-screen bg-white">
      <Header user={{ name: actor.name, email: actor.email }}>
        <nav aria-label="Operator" className="flex items-center gap-4">
          <Link href="/operator" className="inline-flex items-center gap-2 font-semibold text-gray-900">
            <KeyRound aria-hidden="true" className="size-4 text-accent" />Keygate operator
          </Link>
          <Link href="/operator" className="text-gray-600 hover:text-gray-900">Organizations</Link>
          <Link href="/operator/events" className="text-gray-600 hover:text-gray-900">Events</Link>
          <Link href="/" className="text-gray-600 hover:text-gray-900">Console</Link>
        </nav>
      </Header>
      <main id="main-content" className="px-4 py-6 md:px-8 md:py-8">
        <div className="mx-auto w-full max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
