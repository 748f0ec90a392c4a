"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Buckets | Keys navigation of a project; key tabs only for roles that may use keys. */
export function ProjectTabs({ orgId, projectId, showKeys }: { orgId: string; projectId: string; showKeys: boolean }) {
  const pathname = usePathname();
  const base = `/orgs/${orgId}/projects/${projectId}`;
  const tabs = [{ href: base, label: "Buckets" }];
  if (showKeys) tabs.push({ href: `${base}/keys`, label: "Keys" }, { href: `${base}/my-keys`, label: "My region keys" }, { href: `${base}/events`, label: "Events" });
  return (
    <nav className="flex gap-1 border-b border-gray-200" aria-label="Project sections">
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link key={t.href} href={t.href} aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${active ? "border-blue-600 font-medium text-gray-900" : "border-transparent text-gray-500 hover:text-gray-800"}`}>
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
