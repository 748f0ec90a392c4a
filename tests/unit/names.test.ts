import { describe, expect, it } from "vitest";
import { keyNameSchema } from "../../lib/keys/key-input";
import { organizationNameSchema } from "../../lib/orgs/create-organization";
import { projectNameSchema } from "../../lib/projects/projects";

const schemas = { organization: organizationNameSchema, project: projectNameSchema, key: keyNameSchema };

describe("one naming rule for organizations, projects and keys", () => {
  for (const [what, schema] of Object.entries(schemas)) {
    it(`${what}: accepts emoji and other visible text, refuses hidden characters`, () => {
      for (const ok of ["Données 🚀", "team 👩‍💻 ops", "ci-deploy.v2", "Équipe (prod)"]) expect(schema.safeParse(ok).success, ok).toBe(true);
      for (const bad of ["evil\u202Etxt.exe", "tab\there", "zero\u200Bwidth", "line\u2028break"]) expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(schema.parse("  padded  ")).toBe("padded");
    });
  }
});
