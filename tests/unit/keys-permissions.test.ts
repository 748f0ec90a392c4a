import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BASIC_PERMISSIONS,
  GRANULAR_PERMISSIONS,
  KEY_PERMISSIONS,
  PERMISSION_INFO,
  PERMISSION_PRESETS,
  hasPermission,
  isSubsetOf,
  keyPermissionsSchema,
  permissionsForRole,
  requiredPermission,
  summarizePermissions,
  validatePermissions,
} from "../../lib/keys/permissions";
import { S3_OPERATIONS, type S3Operation } from "../../lib/s3/operations";

/** Written out by hand from the product rules, not derived from the module under test. */
const EXPECTED: Record<S3Operation, [plain: string, withVersionId: string]> = {
  ListBuckets: ["list", "list"],
  CreateBucket: ["bucket_admin", "bucket_admin"],
  DeleteBucket: ["bucket_admin", "bucket_admin"],
  HeadBucket: ["list", "list"],
  GetBucketLocation: ["list", "list"],
  GetBucketVersioning: ["list", "list"],
  PutBucketVersioning: ["bucket_admin", "bucket_admin"],
  ListObjects: ["list", "list"],
  ListObjectsV2: ["list", "list"],
  ListObjectVersions: ["read_versions", "read_versions"],
  PutObject: ["write", "write"],
  GetObject: ["read", "read_versions"],
  HeadObject: ["read", "read_versions"],
  DeleteObject: ["delete", "delete_versions"],
  DeleteObjects: ["delete", "delete_versions"],
  CopyObject: ["write", "write"],
  CreateMultipartUpload: ["write", "write"],
  UploadPart: ["write", "write"],
  UploadPartCopy: ["write", "write"],
  CompleteMultipartUpload: ["write", "write"],
  AbortMultipartUpload: ["write", "write"],
  ListParts: ["multipart_list", "multipart_list"],
  ListMultipartUploads: ["multipart_list", "multipart_list"],
  PutBucketCors: ["bucket_admin", "bucket_admin"],
  GetBucketCors: ["bucket_admin", "bucket_admin"],
  DeleteBucketCors: ["bucket_admin", "bucket_admin"],
  PostObject: ["write", "write"],
  GetObjectLockConfiguration: ["list", "list"],
  PutObjectLockConfiguration: ["bucket_admin", "bucket_admin"],
  GetObjectRetention: ["read_retention", "read_retention"],
  PutObjectRetention: ["write_retention", "write_retention"],
  GetObjectLegalHold: ["read_legal_hold", "read_legal_hold"],
  PutObjectLegalHold: ["write_legal_hold", "write_legal_hold"],
};

const BASIC_OF = {
  read_versions: "read", delete_versions: "delete", multipart_list: "write", read_retention: "read", read_legal_hold: "read",
  write_retention: "write", write_legal_hold: "write", bypass_governance: "delete",
} as const;

describe("validatePermissions", () => {
  it.each(GRANULAR_PERMISSIONS)("refuses %s without its basic permission", (granular) => {
    const basic = BASIC_OF[granular];
    const others = BASIC_PERMISSIONS.filter((b) => b !== basic);
    const errors = validatePermissions([granular, ...others]);
    expect(errors).toEqual([`"${PERMISSION_INFO[granular].label}" requires "${PERMISSION_INFO[basic].label}".`]);
    expect(validatePermissions([granular])).toHaveLength(1);
    expect(validatePermissions([basic, granular])).toEqual([]);
  });

  it("accepts every basic permission alone and all permissions together", () => {
    for (const p of BASIC_PERMISSIONS) expect(validatePermissions([p])).toEqual([]);
    expect(validatePermissions([...KEY_PERMISSIONS])).toEqual([]);
  });

  it("refuses empty, unknown, duplicate and bucket-admin entries", () => {
    expect(validatePermissions([])).toEqual(["Choose at least one permission."]);
    expect(validatePermissions(["read", "admin"])).toEqual(['Unknown permission "admin".']);
    expect(validatePermissions(["bucket_admin"])).toEqual(['Unknown permission "bucket_admin".']);
    expect(validatePermissions(["Read"])).toHaveLength(1);
    expect(validatePermissions(["read", "read"])).toEqual(['"Read" is listed more than once.']);
    expect(validatePermissions([42, null])).toHaveLength(2);
    expect(validatePermissions(["x".repeat(500)])[0].length).toBeLessThan(80);
  });

  it("presets are valid, distinct and match the product names", () => {
    for (const preset of PERMISSION_PRESETS) expect(validatePermissions(preset.permissions)).toEqual([]);
    expect(PERMISSION_PRESETS.map((p) => [p.label, [...p.permissions].sort()])).toEqual([
      ["Object Read Only", ["list", "read"]],
      ["Object Read & Write", ["delete", "list", "read", "write"]],
    ]);
  });

  it("every permission has a label and a description; only granular ones require another", () => {
    for (const p of KEY_PERMISSIONS) {
      expect(PERMISSION_INFO[p].label.length).toBeGreaterThan(2);
      expect(PERMISSION_INFO[p].description.length).toBeGreaterThan(10);
    }
    for (const p of BASIC_PERMISSIONS) expect(PERMISSION_INFO[p].requires).toBeUndefined();
    for (const p of GRANULAR_PERMISSIONS) expect(PERMISSION_INFO[p].requires).toBe(BASIC_OF[p]);
  });
});

describe("keyPermissionsSchema", () => {
  const schema = z.object({ permissions: keyPermissionsSchema });
  it("returns the canonical order", () => {
    expect(schema.parse({ permissions: ["list", "read_versions", "read"] }).permissions).toEqual(["read", "list", "read_versions"]);
  });
  it("reports errors on the permissions field", () => {
    const r = schema.safeParse({ permissions: ["delete_versions"] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["permissions", '"Delete versions" requires "Delete".']]);
  });
});

describe("summarizePermissions", () => {
  it("names presets, otherwise lists labels in canonical order", () => {
    expect(summarizePermissions(["list", "read"])).toBe("Object Read Only");
    expect(summarizePermissions(["delete", "list", "write", "read"])).toBe("Object Read & Write");
    expect(summarizePermissions(["list", "read", "read_versions"])).toBe("Read, List, Read versions");
    expect(summarizePermissions(["write"])).toBe("Write");
    expect(summarizePermissions(["read", "list", "read_retention", "read_legal_hold"])).toBe("Read, List, Read retention, Read legal hold");
    expect(summarizePermissions([...KEY_PERMISSIONS].reverse())).toBe("All object permissions");
    expect(summarizePermissions([])).toBe("No permissions");
    expect(summarizePermissions(["bogus"])).toBe("No permissions");
  });
});

describe("requiredPermission", () => {
  it("covers every S3 operation", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...S3_OPERATIONS].sort());
  });
  it.each(S3_OPERATIONS)("%s", (op) => {
    expect(requiredPermission(op)).toBe(EXPECTED[op][0]);
    expect(requiredPermission(op, { versionId: false })).toBe(EXPECTED[op][0]);
    expect(requiredPermission(op, { versionId: true })).toBe(EXPECTED[op][1]);
  });
});

describe("hasPermission", () => {
  it("counts a granular permission only together with its basic one", () => {
    expect(hasPermission(["read_versions"], "read_versions")).toBe(false);
    expect(hasPermission(["read", "read_versions"], "read_versions")).toBe(true);
    expect(hasPermission(["read"], "read")).toBe(true);
    expect(hasPermission(["write"], "read")).toBe(false);
  });
});

describe("roles", () => {
  it("ADMIN and MEMBER_PLUS hold every object permission, MEMBER none", () => {
    expect(permissionsForRole("ADMIN")).toEqual([...KEY_PERMISSIONS]);
    expect(permissionsForRole("MEMBER_PLUS")).toEqual([...KEY_PERMISSIONS]);
    expect(permissionsForRole("MEMBER")).toEqual([]);
  });

  it("a created key can never exceed its creator", () => {
    expect(isSubsetOf(["read", "list"], permissionsForRole("MEMBER_PLUS"))).toBe(true);
    expect(isSubsetOf([...KEY_PERMISSIONS], permissionsForRole("ADMIN"))).toBe(true);
    expect(isSubsetOf(["read"], permissionsForRole("MEMBER"))).toBe(false);
    expect(isSubsetOf(["read", "delete"], ["read", "list"])).toBe(false);
    expect(isSubsetOf([], ["read"])).toBe(true);
  });
});

describe("permission groups (sub key form, CLI help)", () => {
  it("list every permission once, each granular one under the basic one it requires", async () => {
    const { PERMISSION_GROUPS } = await import("../../lib/keys/permission-options");
    expect(PERMISSION_GROUPS.map((g) => [g.basic.value, g.granular.map((o) => o.value)])).toEqual([
      ["read", ["read_versions", "read_retention", "read_legal_hold"]],
      ["write", ["multipart_list", "write_retention", "write_legal_hold"]],
      ["list", []],
      ["delete", ["delete_versions", "bypass_governance"]],
    ]);
  });

  it("the CLI help shows them grouped, with descriptions and the presets", async () => {
    const { permissionsHelp } = await import("../../cli/key-options");
    const lines = permissionsHelp().split("\n");
    const at = (p: string) => lines.findIndex((l) => l.trimStart().startsWith(`${p} `));
    for (const p of GRANULAR_PERMISSIONS) {
      const basic = BASIC_OF[p];
      expect(lines[at(p)]).toMatch(new RegExp(`^    ${p} +${PERMISSION_INFO[p].description.replace(/[().]/g, "\\$&")}$`));
      // under its basic one: no other basic permission between them
      const between = lines.slice(at(basic) + 1, at(p));
      expect(between.every((l) => l.startsWith("    ")), p).toBe(true);
    }
    for (const p of BASIC_PERMISSIONS) expect(lines[at(p)]).toMatch(new RegExp(`^  ${p} `));
    expect(lines.at(-1)).toBe("Presets as in the console: Object Read Only = read,list; Object Read & Write = read,write,list,delete.");
  });
});

describe("docs/permissions.md", () => {
  it("lists every permission with its label, basic permission and description", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync("docs/permissions.md", "utf8");
    for (const p of KEY_PERMISSIONS) {
      const info = PERMISSION_INFO[p];
      expect(doc).toContain(`| \`${p}\` | ${info.label} | ${info.requires ? `\`${info.requires}\`` : "—"} | ${info.description} |`);
    }
  });
});
