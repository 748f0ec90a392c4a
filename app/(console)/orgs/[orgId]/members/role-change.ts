export const ROLE_OPTIONS = [
  { value: "ADMIN", label: "Admin" },
  { value: "MEMBER_PLUS", label: "Member+" },
  { value: "MEMBER", label: "Member" },
];

/** How many live keys a role change revokes; mirrors lib/orgs/members.ts changeMemberRole. */
export function revokedOnRoleChange(from: string, to: string, live: { MASTER: number; SUB: number; USER: number }) {
  if (from === to) return 0;
  if (to === "MEMBER") return live.MASTER + live.SUB + live.USER;
  if (from === "ADMIN" && to !== "ADMIN") return live.MASTER;
  return 0;
}
