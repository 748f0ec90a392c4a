import type { ReactNode } from "react";
import { IssuedKeyProvider } from "@/components/keys/issued-key-provider";
import { ConsoleShell } from "@/components/shell/console-shell";
import { requireOrgContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listUserOrganizations } from "@/lib/orgs/create-organization";
import { isOperator } from "@/lib/operators";
import { listProjects } from "@/lib/projects/projects";

export const dynamic = "force-dynamic";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const ctx = await requireOrgContext(orgId);
  const db = getDb();
  const [orgs, projects] = await Promise.all([listUserOrganizations(db, ctx.actor.userId), listProjects(db, ctx)]);
  const nav = [{ href: `/orgs/${orgId}`, label: "Projects", icon: "folder" }];
  if (can(ctx.role, "keys.use")) nav.push({ href: `/orgs/${orgId}/events`, label: "Events", icon: "activity" });
  if (can(ctx.role, "members.manage")) nav.push({ href: `/orgs/${orgId}/members`, label: "Members", icon: "users" });
  if (can(ctx.role, "members.manage")) nav.push({ href: `/orgs/${orgId}/settings`, label: "Key policy", icon: "settings" });
  if (can(ctx.role, "members.manage")) nav.push({ href: `/orgs/${orgId}/settings/api-tokens`, label: "API tokens", icon: "key" });
  if (can(ctx.role, "keys.manage_all")) nav.push({ href: `/orgs/${orgId}/credential-report`, label: "Credential report", icon: "chart" });
  if (can(ctx.role, "keys.master")) nav.push({ href: `/orgs/${orgId}/api-docs`, label: "API", icon: "file" });
  if (isOperator(ctx.actor.email)) nav.push({ href: "/operator", label: "Operator", icon: "shield" });
  return (
    <ConsoleShell
      orgs={orgs}
      currentOrgId={orgId}
      projects={projects.map((p) => ({ id: p.id, name: p.name }))}
      nav={nav}
      user={{ name: ctx.actor.name, email: ctx.actor.email }}
    >
      <IssuedKeyProvider>{children}</IssuedKeyProvider>
    </ConsoleShell>
  );
}
