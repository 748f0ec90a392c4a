import { cn } from "./cn";

/** A grey placeholder block that pulses while a page loads. Decorative: the wrapper announces the loading. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-control bg-gray-200/70", className)} />;
}

type PageSkeletonProps = {
  /** Tabs under the header (project pages). */
  tabs?: boolean;
  /** The requests chart of the event views. */
  chart?: boolean;
  /** A filter or form card above the table. */
  form?: boolean;
  /** Rows of the table placeholder. */
  rows?: number;
};

/**
 * What a console page looks like while its data loads (the route segments' loading.tsx): the
 * header, optional tabs, chart and form card, and a table, in the real layout's spacing, so
 * nothing jumps when the page arrives. Announced once to screen readers.
 */
export function PageSkeleton({ tabs, chart, form, rows = 6 }: PageSkeletonProps) {
  return (
    <div role="status" aria-busy="true" className="space-y-6" data-testid="page-skeleton">
      <span className="sr-only">Loading…</span>
      <div className="space-y-2">
        <Skeleton className="h-6 w-56" />
        <Skeleton className="h-4 w-full max-w-lg" />
      </div>
      {tabs && (
        <div className="flex gap-4 border-b border-gray-200 pb-2">
          {[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-5 w-16" />)}
        </div>
      )}
      {chart && <div className="rounded-card border border-gray-200 bg-white p-4"><Skeleton className="h-40 w-full" /></div>}
      {form && (
        <div className="grid grid-cols-1 gap-3 rounded-card border border-gray-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
          {[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-9 w-full" />)}
        </div>
      )}
      <div className="overflow-hidden rounded-card border border-gray-200 bg-white">
        <div className="border-b border-gray-200 bg-gray-50 px-4 py-3"><Skeleton className="h-4 w-40" /></div>
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b border-gray-100 px-4 py-3 last:border-0">
            <Skeleton className="h-4 w-1/4" />
            <Skeleton className="h-4 w-1/3" />
            <Skeleton className="ml-auto h-4 w-16" />
          </div>
        ))}
      </div>
    </div>
  );
}
