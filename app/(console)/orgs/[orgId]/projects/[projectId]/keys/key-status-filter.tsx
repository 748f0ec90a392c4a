import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { KeyStatusFilter } from "@/lib/keys/list-keys";

const FILTERS: { value: KeyStatusFilter; label: string }[] = [
  { value: "active", label: "Active" }, { value: "disabled", label: "Disabled" }, { value: "expired", label: "Expired" }, { value: "revoked", label: "Revoked" }, { value: "all", label: "All" },
];

/** Active / Disabled / Expired / Revoked / All as links (shareable URLs, no script needed); Active is the default. */
export function KeyStatusFilterNav({ base, current }: { base: string; current: KeyStatusFilter }) {
  return (
    <nav aria-label="Key status" className="inline-flex rounded-control border border-gray-200 bg-gray-50 p-0.5 text-sm">
      {FILTERS.map((f) => (
        <Link key={f.value} href={f.value === "active" ? base : `${base}?status=${f.value}`} aria-current={f.value === current ? "page" : undefined}
          className={cn("rounded-[5px] px-3 py-1", f.value === current ? "bg-white font-medium text-gray-900 shadow-xs" : "text-gray-600 hover:text-gray-900")}>
          {f.label}
        </Link>
      ))}
    </nav>
  );
}
