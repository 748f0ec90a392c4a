"use client";
// The console's error boundary. When the database is down (the server said so, or readiness
// says so), it shows "database unavailable, retrying", polls readiness and re-renders the page
// by itself once PostgreSQL is back: the session is kept, nobody is sent to the sign-in page.
import { useRouter } from "next/navigation";
import { startTransition, useEffect, useState } from "react";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db-errors";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

const RETRY_MS = 3000;

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [databaseDown, setDatabaseDown] = useState(error.digest === DATABASE_UNAVAILABLE_DIGEST);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let cancelled = false;
    let sawDown = error.digest === DATABASE_UNAVAILABLE_DIGEST;
    const check = async () => {
      const ready = await fetch("/api/health/ready", { cache: "no-store" }).then((r) => r.ok, () => false);
      if (cancelled) return;
      if (!ready) {
        sawDown = true;
        setDatabaseDown(true);
        timer = setTimeout(check, RETRY_MS);
      } else if (sawDown) {
        startTransition(() => { router.refresh(); reset(); });
      }
    };
    void check();
    return () => { cancelled = true; clearTimeout(timer); };
  }, [error, reset, router]);

  if (databaseDown) {
    return (
      <main role="alert" data-testid="database-unavailable" className="flex min-h-[60vh] flex-col items-center justify-center gap-3 text-center">
        <p className="text-sm font-medium text-gray-500">503</p>
        <h1 className="text-lg font-semibold">Database unavailable, retrying</h1>
        <p className="max-w-md text-sm text-gray-600">
          Keygate cannot reach its database right now. This page reloads by itself as soon as it is back; you stay signed in.
        </p>
        <Spinner />
      </main>
    );
  }
  return (
    <main role="alert" className="flex min-h-[60vh] flex-col items-center justify-center gap-3 text-center">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="text-sm text-gray-600">{error.digest ? `Reference: ${error.digest}` : "An unexpected error occurred."}</p>
      <Button variant="secondary" onClick={() => startTransition(() => { router.refresh(); reset(); })}>Try again</Button>
    </main>
  );
}
