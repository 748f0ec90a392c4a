import type { ComponentProps } from "react";
import { cn } from "./cn";

export type BadgeVariant = "neutral" | "accent" | "success" | "warning" | "danger" | "outline";

const variants: Record<BadgeVariant, string> = {
  neutral: "bg-gray-100 text-gray-700 ring-gray-500/15",
  accent: "bg-accent-subtle text-blue-700 ring-blue-600/20",
  success: "bg-green-50 text-green-700 ring-green-600/20",
  warning: "bg-amber-50 text-amber-800 ring-amber-600/25",
  danger: "bg-red-50 text-red-700 ring-red-600/20",
  outline: "bg-white text-gray-700 ring-gray-300",
};

export type BadgeProps = ComponentProps<"span"> & { variant?: BadgeVariant; dot?: boolean };

export function Badge({ variant = "neutral", dot, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn("inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", variants[variant], className)}
      {...props}
    >
      {dot && <span aria-hidden="true" className="size-1.5 rounded-full bg-current opacity-80" />}
      {children}
    </span>
  );
}

export type KeyStatus = "active" | "disabled" | "expired" | "revoked";

const STATUS: Record<KeyStatus, { label: string; variant: BadgeVariant }> = {
  active: { label: "Active", variant: "success" },
  disabled: { label: "Disabled", variant: "neutral" },
  expired: { label: "Expired", variant: "warning" },
  revoked: { label: "Revoked", variant: "danger" },
};

/** Status of an access key; accepts "active", "Active" or "ACTIVE". */
export function StatusBadge({ status, className }: { status: KeyStatus | Capitalize<KeyStatus> | Uppercase<KeyStatus>; className?: string }) {
  const s = STATUS[status.toLowerCase() as KeyStatus] ?? { label: status, variant: "neutral" as const };
  return <Badge variant={s.variant} dot className={className}>{s.label}</Badge>;
}

export type Role = "ADMIN" | "MEMBER_PLUS" | "MEMBER";

const ROLES: Record<Role, { label: string; variant: BadgeVariant }> = {
  ADMIN: { label: "Admin", variant: "accent" },
  MEMBER_PLUS: { label: "Member+", variant: "neutral" },
  MEMBER: { label: "Member", variant: "outline" },
};

export const roleLabel = (role: string) => ROLES[role as Role]?.label ?? role;

/** Organization role of a member. */
export function RoleBadge({ role, className }: { role: Role | (string & {}); className?: string }) {
  const r = ROLES[role as Role] ?? { label: role, variant: "neutral" as const };
  return <Badge variant={r.variant} className={className}>{r.label}</Badge>;
}
