// keygate token create | list | revoke: organization API tokens (Authorization: Bearer on
// /api/v1), the same as an ADMIN creates in the organization's settings.
import { createOrgToken, listOrgTokens, ORG_TOKEN_EXPIRY_PRESETS, revokeOrgToken } from "../lib/org-tokens/org-tokens";
import { type Command, CliError, jsonOption, out, requireString, stringValue } from "./command";
import { withDatabase } from "./context";
import { findOrgOrThrow } from "./lookup";
import { onBehalfOfMember, operatorContext } from "./operator";

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "-");

export const tokenCreateCommand: Command = {
  name: "token create",
  usage: "--org <id> --name <name> [--expiry 30d] [--created-by <email>] [--json]",
  summary: "Create an organization API token and print it once.",
  description: `
The token manages the organization's projects, buckets, members' roles and master keys through
/api/v1 (Authorization: Bearer <token>), with the rights of the admin who created it (the first
admin, or --created-by): it stops working if that person is no longer an admin. Only a hash is
stored: the token is shown only in this output.`,
  options: {
    org: { type: "string", value: "id", description: "Organization id (see keygate org list)" },
    name: { type: "string", value: "name", description: "What the token is for (1 to 64 characters)" },
    expiry: { type: "string", value: `${Object.keys(ORG_TOKEN_EXPIRY_PRESETS).join("|")}|YYYY-MM-DD`, description: "When it expires (default 30d, at most a year)" },
    "created-by": { type: "string", value: "email", description: "The admin whose rights it carries (default: the first admin)" },
    json: jsonOption,
  },
  examples: ["keygate token create --org <id> --name terraform --expiry 90d --json"],
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    const name = requireString(values, "name");
    const expiry = (stringValue(values, "expiry") ?? "30d").trim();
    const input = expiry in ORG_TOKEN_EXPIRY_PRESETS ? { name, expiry: expiry as keyof typeof ORG_TOKEN_EXPIRY_PRESETS } : { name, expiry: "custom" as const, expiresAt: expiry };
    return withDatabase(async ({ db }) => {
      await findOrgOrThrow(db, orgId);
      const creator = await onBehalfOfMember(db, orgId, stringValue(values, "created-by"));
      if (creator.role !== "ADMIN") throw new CliError(`${creator.email} is not an admin: a token carries its creator's rights, so it needs an admin.`);
      const created = await createOrgToken(db, creator.ctx, input);
      const result = { id: created.id, orgId, name: created.name, token: created.token, createdBy: creator.email, expiresAt: created.expiresAt.toISOString() };
      if (values.json) return out.json(result);
      out.line(`Created API token "${result.name}" (id ${result.id}) for organization ${orgId}, acting as ${creator.email}.`);
      out.line(`  Token:    ${result.token}`);
      out.line(`  Expires:  ${result.expiresAt}`);
      out.note("The token is shown only this once: store it now. Use it as Authorization: Bearer <token>.");
    });
  },
};

export const tokenListCommand: Command = {
  name: "token list",
  usage: "--org <id> [--json]",
  summary: "List an organization's API tokens (never the tokens themselves).",
  options: { org: { type: "string", value: "id", description: "Organization id" }, json: jsonOption },
  run: ({ values }) => {
    const orgId = requireString(values, "org");
    return withDatabase(async ({ db }) => {
      await findOrgOrThrow(db, orgId);
      const tokens = (await listOrgTokens(db, operatorContext(orgId))).map((t) => ({
        id: t.id, name: t.name, status: t.status, tokenLast4: t.tokenLast4, createdBy: t.createdByEmail, createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null, lastUsedIp: t.lastUsedIp,
      }));
      if (values.json) return out.json(tokens);
      if (tokens.length === 0) return out.line("(none)");
      out.line("ID                         STATUS   EXPIRES     LAST USED   NAME");
      for (const t of tokens) {
        out.line(`${t.id.padEnd(25)}  ${t.status.toLowerCase().padEnd(7)}  ${day(new Date(t.expiresAt))}  ${day(t.lastUsedAt ? new Date(t.lastUsedAt) : null).padEnd(10)}  ${t.name}`);
      }
    });
  },
};

export const tokenRevokeCommand: Command = {
  name: "token revoke",
  usage: "<token id> [--json]",
  summary: "Revoke an organization API token (from its next use on).",
  options: { json: jsonOption },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals }) =>
    withDatabase(async ({ db }) => {
      const id = positionals[0].trim();
      const token = await db.orgApiToken.findUnique({ where: { id }, select: { orgId: true } });
      if (!token) throw new CliError(`API token ${id} not found.`);
      const revoked = await revokeOrgToken(db, operatorContext(token.orgId), id);
      const result = { id, name: revoked.name, revokedAt: revoked.revokedAt?.toISOString() ?? null };
      if (values.json) return out.json(result);
      out.line(`Revoked API token "${revoked.name}" (id ${id}).`);
    }),
};
