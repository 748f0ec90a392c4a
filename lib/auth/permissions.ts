import type { Role } from "../generated/prisma/enums";

/**
 * Named permissions checked on the server before anything else (dub's model). Pages, actions,
 * route handlers and queries all ask `can(role, permission)`; the UI only mirrors the answer.
 */
export const PERMISSIONS = [
  "org.read",
  "members.manage",
  "projects.manage",
  "buckets.manage",
  "keys.use", // may see key pages and hold keys (own region pairs, own sub keys)
  "keys.master", // master keys
  "keys.manage_all", // every key of the organization, not only one's own
  "events.read_all",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  MEMBER_PLUS: ["org.read", "keys.use"],
  MEMBER: ["org.read"],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLES: readonly Role[] = ["ADMIN", "MEMBER_PLUS", "MEMBER"];
export const ROLE_LABELS: Record<Role, string> = { ADMIN: "Admin", MEMBER_PLUS: "Member+", MEMBER: "Member" };
