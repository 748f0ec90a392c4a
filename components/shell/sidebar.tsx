"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  Activity, Building2, Check, ChartColumn, ChevronsUpDown, Circle, Database, FileText, Folder, FolderOpen,
  House, KeyRound, LayoutGrid, Plus, ScrollText, Settings, Share2, Shield, Users, type LucideIcon,
} from "lucide-react";
import { roleLabel } from "@/components/ui/badge";
import { useProjectHint } from "./project-hint";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export type SidebarProps = {
  orgs: { id: string; name: string; role: string }[];
  currentOrgId: string;
  projects: { id: string; name: string }[];
  /** Defaults to the project in the URL (/orgs/:org/projects/:id/...). */
  currentProjectId?: string;
  /** `icon` is a name from ICONS below (e.g. "folder", "users", "key"). */
  nav: { href: string; label: string; icon?: string }[];
};

const ICONS: Record<string, LucideIcon> = {
  folder: Folder, projects: Folder, users: Users, members: Users, key: KeyRound, keys: KeyRound, database: Database,
  buckets: Database, settings: Settings, activity: Activity, events: ScrollText, audit: ScrollText, home: House,
  org: Building2, file: FileText, shield: Shield, chart: ChartColumn, grid: LayoutGrid, share: Share2,
};

const triggerClasses =
  "flex w-full items-center gap-2.5 rounded-control px-2 text-left outline-hidden transition-colors hover:bg-gray-200/60 " +
  "focus-visible:outline-2 focus-visible:outline-accent data-[state=open]:bg-gray-200/60";

/** Longest nav href that is the current path or a parent of it. */
function activeHref(pathname: string, nav: SidebarProps["nav"]) {
  let best: string | null = null;
  for (const { href } of nav) {
    if ((pathname === href || pathname.startsWith(href.endsWith("/") ? href : `${href}/`)) && href.length > (best?.length ?? -1)) best = href;
  }
  return best;
}

export function Sidebar({ orgs, currentOrgId, projects, currentProjectId, nav }: SidebarProps) {
  const pathname = usePathname() ?? "";
  const org = orgs.find((o) => o.id === currentOrgId);
  const hint = useProjectHint();
  const projectId = currentProjectId ?? pathname.match(/^\/orgs\/[^/]+\/projects\/([^/]+)/)?.[1] ?? hint;
  const project = projects.find((p) => p.id === projectId);
  const active = activeHref(pathname, nav);

  return (
    <div className="flex h-full flex-col gap-5 px-3 py-3">
      <Link href="/" className="flex h-7 items-center gap-2 self-start rounded-control px-2 text-[15px] font-semibold tracking-tight text-gray-900 outline-hidden focus-visible:outline-2 focus-visible:outline-accent">
        <KeyRound aria-hidden="true" className="size-4 text-accent" />
        Keygate
      </Link>
      <DropdownMenu>
        <DropdownMenuTrigger className={cn(triggerClasses, "h-11")} aria-label={`Organization: ${org?.name ?? "none"}. Switch organization`}>
          <span aria-hidden="true" className="flex size-7 shrink-0 items-center justify-center rounded-md bg-gray-900 text-xs font-semibold text-white">
            {(org?.name ?? "?").slice(0, 1).toUpperCase()}
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-semibold text-gray-900">{org?.name ?? "Select organization"}</span>
            {org && <span className="block truncate text-xs text-gray-500">{roleLabel(org.role)}</span>}
          </span>
          <ChevronsUpDown aria-hidden="true" className="size-4 shrink-0 text-gray-400" />
        </DropdownMenuTrigger>
        <DropdownMenuContent className="w-64">
          <DropdownMenuLabel>Organizations</DropdownMenuLabel>
          {orgs.map((o) => (
            <DropdownMenuItem key={o.id} asChild>
              <Link href={`/orgs/${o.id}`} aria-current={o.id === currentOrgId ? "true" : undefined}>
                <Building2 aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate">{o.name}</span>
                {o.id === currentOrgId && <Check aria-hidden="true" className="text-accent!" />}
              </Link>
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href="/onboarding"><Plus aria-hidden="true" />Create organization</Link>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <div>
        <div className="mb-1 px-2 text-xs font-medium text-gray-500">Project</div>
        <DropdownMenu>
          <DropdownMenuTrigger className={cn(triggerClasses, "h-9 border border-gray-200 bg-white shadow-xs hover:bg-gray-50 data-[state=open]:bg-gray-50")}
            aria-label={`Project: ${project?.name ?? "none selected"}. Switch project`}>
            <FolderOpen aria-hidden="true" className="size-4 shrink-0 text-gray-500" />
            <span className={cn("min-w-0 flex-1 truncate text-sm", project ? "text-gray-900" : "text-gray-500")}>
              {project?.name ?? "Select a project"}
            </span>
            <ChevronsUpDown aria-hidden="true" className="size-4 shrink-0 text-gray-400" />
          </DropdownMenuTrigger>
          <DropdownMenuContent className="w-(--radix-dropdown-menu-trigger-width) min-w-56">
            <DropdownMenuLabel>Projects</DropdownMenuLabel>
            {projects.length === 0 && <DropdownMenuItem disabled>No projects yet</DropdownMenuItem>}
            {projects.map((p) => (
              <DropdownMenuItem key={p.id} asChild>
                <Link href={`/orgs/${currentOrgId}/projects/${p.id}`} aria-current={p.id === projectId ? "true" : undefined}>
                  <Folder aria-hidden="true" />
                  <span className="min-w-0 flex-1 truncate">{p.name}</span>
                  {p.id === projectId && <Check aria-hidden="true" className="text-accent!" />}
                </Link>
              </DropdownMenuItem>
            ))}
            <DropdownMenuSeparator />
            <DropdownMenuItem asChild>
              <Link href={`/orgs/${currentOrgId}`}><LayoutGrid aria-hidden="true" />All projects</Link>
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>

      <nav aria-label="Main" className="flex flex-col gap-0.5">
        {nav.map((item) => {
          const Icon = (item.icon && ICONS[item.icon]) || Circle;
          const isActive = item.href === active;
          return (
            <Link key={item.href} href={item.href} aria-current={isActive ? "page" : undefined}
              className={cn(
                "flex h-8 items-center gap-2.5 rounded-control px-2 text-sm transition-colors outline-hidden focus-visible:outline-2 focus-visible:outline-accent",
                isActive ? "bg-white font-medium text-gray-900 shadow-xs ring-1 ring-gray-200" : "text-gray-600 hover:bg-gray-200/60 hover:text-gray-900",
              )}>
              <Icon aria-hidden="true" className={cn("size-4 shrink-0", isActive ? "text-accent" : "text-gray-400")} />
              <span className="truncate">{item.label}</span>
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
