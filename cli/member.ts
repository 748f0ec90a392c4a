// keygate member add | role | remove: the console's membership rules and events (lib/orgs).
import { ROLE_LABELS } from "../lib/auth/permissions";
import { addMember, changeMemberRole, removeMember } from "../lib/orgs/members";
import { type Command, jsonOption, out, requireString, stringValue } from "./command";
import { withDatabase } from "./context";
import { findMembershipOrThrow, findOrgOrThrow, parseRole } from "./lookup";
import { operatorContext } from "./operator";

const org = { type: "string", value: "id", description: "Organization id (see keygate org list)" } as const;
const email = { type: "string", value: "email", description: "The member's email address" } as const;
const role = { type: "string", value: "admin|member-plus|member", description: "Role in the organization" } as const;

export const memberAddCommand: Command = {
  name: "member add",
  usage: "--org <id> --email <email> --role <role> [--name <name>] [--json]",
  summary: "Add a person to an organization directly (no invitation).",
  description: `
A user with that email is found or created; they sign in with that address as usual. A pending
invitation of the same address ends.`,
  options: { org, email, role, name: { type: "string", value: "name", description: "Display name, for a new user" }, json: jsonOption },
  examples: ["keygate member add --org <id> --email bob@acme.example --role member-plus"],
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    const input = { email: requireString(values, "email"), role: parseRole(requireString(values, "role")), name: stringValue(values, "name") };
    return withDatabase(async ({ db }) => {
      await findOrgOrThrow(db, orgId);
      const { membership, user } = await addMember(db, operatorContext(orgId), input);
      const result = { id: membership.id, orgId, userId: user.id, email: user.email, role: membership.role };
      if (values.json) return out.json(result);
      out.line(`Added ${user.email} as ${ROLE_LABELS[membership.role]} (membership id ${membership.id}).`);
    });
  },
};

export const memberRoleCommand: Command = {
  name: "member role",
  usage: "--org <id> --email <email> --role <role> [--json]",
  summary: "Change a member's role (demotion revokes the keys the new role may not hold).",
  options: { org, email, role, json: jsonOption },
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    const newRole = parseRole(requireString(values, "role"));
    return withDatabase(async ({ db }) => {
      const m = await findMembershipOrThrow(db, orgId, requireString(values, "email"));
      await changeMemberRole(db, operatorContext(orgId), { membershipId: m.id, role: newRole });
      const result = { id: m.id, orgId, userId: m.user.id, email: m.user.email, from: m.role, role: newRole };
      if (values.json) return out.json(result);
      out.line(m.role === newRole ? `${m.user.email} is already ${ROLE_LABELS[newRole]}.` : `${m.user.email}: ${ROLE_LABELS[m.role]} → ${ROLE_LABELS[newRole]}.`);
    });
  },
};

export const memberRemoveCommand: Command = {
  name: "member remove",
  usage: "--org <id> --email <email> [--json]",
  summary: "Remove a member; their keys are revoked (the last admin stays).",
  options: { org, email, json: jsonOption },
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    return withDatabase(async ({ db }) => {
      const m = await findMembershipOrThrow(db, orgId, requireString(values, "email"));
      await removeMember(db, operatorContext(orgId), m.id);
      if (values.json) return out.json({ id: m.id, orgId, userId: m.user.id, email: m.user.email, removed: true });
      out.line(`Removed ${m.user.email}; their keys are revoked.`);
    });
  },
};
