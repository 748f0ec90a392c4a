import { describe, expect, it } from "vitest";
import { BASIC_PERMISSIONS, KEY_PERMISSIONS } from "../../lib/keys/permissions";
import { INVALID_ACCESS_KEY_ID_MESSAGE, authorize, bucketsVisible, keyHasPermission, type AccessRequest, type KeyScope } from "../../lib/keys/scope";
import { S3_OPERATIONS, type S3Operation } from "../../lib/s3/operations";

const NOW = new Date("2030-01-01T00:00:00Z");
const PROJECT = ["alpha", "beta", "gamma"];

const key = (over: Partial<KeyScope> = {}): KeyScope => ({
  kind: "SUB",
  permissions: ["read"],
  allBuckets: true,
  buckets: [],
  projectBuckets: PROJECT,
  prefix: null,
  allowedCidrs: [],
  expiresAt: null,
  revokedAt: null,
  ...over,
});

const COPY_OPS: S3Operation[] = ["CopyObject", "UploadPartCopy"];
const LIST_OPS: S3Operation[] = ["ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads"];
const BUCKET_LEVEL_OPS: S3Operation[] = ["HeadBucket", "GetBucketLocation", "GetBucketVersioning", "GetObjectLockConfiguration"];
const OBJECT_OPS: S3Operation[] = [
  "PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject", "CreateMultipartUpload",
  "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts", "PostObject",
  "GetObjectRetention", "PutObjectRetention", "GetObjectLegalHold", "PutObjectLegalHold",
];
const ADMIN_OPS: S3Operation[] = ["CreateBucket", "DeleteBucket", "PutBucketCors", "GetBucketCors", "DeleteBucketCors", "PutBucketVersioning", "PutObjectLockConfiguration"];
const DATA_OPS = S3_OPERATIONS.filter((op) => !ADMIN_OPS.includes(op));

/** The single permission each operation needs, written out by hand (independent of permissions.ts). */
const NEEDS: Record<S3Operation, string> = {
  ListBuckets: "list", HeadBucket: "list", GetBucketLocation: "list", GetBucketVersioning: "list",
  ListObjects: "list", ListObjectsV2: "list", ListObjectVersions: "read_versions",
  PutObject: "write", GetObject: "read", HeadObject: "read", DeleteObject: "delete", DeleteObjects: "delete",
  CopyObject: "write+read", CreateMultipartUpload: "write", UploadPart: "write", UploadPartCopy: "write+read",
  CompleteMultipartUpload: "write", AbortMultipartUpload: "write", ListParts: "multipart_list",
  ListMultipartUploads: "multipart_list", CreateBucket: "bucket_admin", DeleteBucket: "bucket_admin",
  PutBucketCors: "bucket_admin", GetBucketCors: "bucket_admin", DeleteBucketCors: "bucket_admin", PostObject: "write",
  PutBucketVersioning: "bucket_admin", GetObjectLockConfiguration: "list", PutObjectLockConfiguration: "bucket_admin",
  GetObjectRetention: "read_retention", PutObjectRetention: "write_retention",
  GetObjectLegalHold: "read_legal_hold", PutObjectLegalHold: "write_legal_hold",
};

function req(operation: S3Operation, over: Partial<AccessRequest> = {}): AccessRequest {
  const base: AccessRequest = { operation, sourceIp: "10.0.0.7", now: NOW };
  if (operation !== "ListBuckets") base.bucket = "alpha";
  if (OBJECT_OPS.includes(operation)) base.objectKey = "team/report.csv";
  if (LIST_OPS.includes(operation)) base.listPrefix = "team/";
  if (COPY_OPS.includes(operation)) base.copySource = { bucket: "alpha", key: "team/source.csv" };
  return { ...base, ...over };
}

const allowed = (k: KeyScope, r: AccessRequest) => authorize(k, r).allow;
const reasonOf = (k: KeyScope, r: AccessRequest) => {
  const d = authorize(k, r);
  return d.allow ? "allow" : d.reason;
};

describe("permission × operation matrix", () => {
  for (const perm of BASIC_PERMISSIONS) {
    for (const op of DATA_OPS) {
      const expected = NEEDS[op] === perm;
      it(`[${perm}] ${op} → ${expected ? "allow" : "deny"}`, () => {
        expect(reasonOf(key({ permissions: [perm] }), req(op))).toBe(expected ? "allow" : "permission");
      });
    }
  }

  it.each(DATA_OPS)("every object permission allows %s", (op) => {
    expect(allowed(key({ permissions: [...KEY_PERMISSIONS] }), req(op))).toBe(true);
  });

  it.each(ADMIN_OPS)("no sub key may %s, whatever its permissions", (op) => {
    expect(reasonOf(key({ permissions: [...KEY_PERMISSIONS] }), req(op))).toBe("bucket_admin");
  });

  it("copies need write on the target and read on the source", () => {
    for (const op of COPY_OPS) {
      expect(reasonOf(key({ permissions: ["read", "write"] }), req(op))).toBe("allow");
      expect(reasonOf(key({ permissions: ["write"] }), req(op))).toBe("permission");
      expect(reasonOf(key({ permissions: ["read"] }), req(op))).toBe("permission");
    }
  });

  it.each([
    ["ListObjectVersions", "read", "read_versions"],
    ["ListParts", "write", "multipart_list"],
    ["ListMultipartUploads", "write", "multipart_list"],
  ] as const)("%s needs %s + %s", (op, basic, granular) => {
    expect(allowed(key({ permissions: [basic] }), req(op))).toBe(false);
    expect(allowed(key({ permissions: [granular] }), req(op))).toBe(false); // never stored, still refused
    expect(allowed(key({ permissions: [basic, granular] }), req(op))).toBe(true);
  });

  it.each([
    ["GetObject", "read", "read_versions"],
    ["HeadObject", "read", "read_versions"],
    ["DeleteObject", "delete", "delete_versions"],
    ["DeleteObjects", "delete", "delete_versions"],
  ] as const)("%s with a versionId needs %s + %s", (op, basic, granular) => {
    expect(allowed(key({ permissions: [basic] }), req(op, { versionId: false }))).toBe(true);
    expect(reasonOf(key({ permissions: [basic] }), req(op, { versionId: true }))).toBe("permission");
    expect(allowed(key({ permissions: [basic, granular] }), req(op, { versionId: true }))).toBe(true);
  });
});

describe("bucket scope", () => {
  const scoped = key({ permissions: [...KEY_PERMISSIONS], allBuckets: false, buckets: ["alpha"] });
  it.each(DATA_OPS.filter((op) => op !== "ListBuckets"))("%s: in scope allowed, out of scope or unknown denied alike", (op) => {
    expect(allowed(scoped, req(op))).toBe(true);
    const other = authorize(scoped, req(op, { bucket: "beta", ...(COPY_OPS.includes(op) ? { copySource: { bucket: "beta", key: "team/x" } } : {}) }));
    const missing = authorize(scoped, req(op, { bucket: "nope", ...(COPY_OPS.includes(op) ? { copySource: { bucket: "nope", key: "team/x" } } : {}) }));
    expect(other).toEqual({ allow: false, code: "AccessDenied", reason: "bucket", message: "Access Denied." });
    expect(missing).toEqual(other);
    expect(reasonOf(scoped, req(op, { bucket: undefined }))).toBe("bucket");
  });

  it("a scoped bucket that left the project is denied; allBuckets means the project's buckets only", () => {
    expect(reasonOf(key({ allBuckets: false, buckets: ["old"] }), req("GetObject", { bucket: "old" }))).toBe("bucket");
    expect(allowed(key(), req("GetObject", { bucket: "gamma" }))).toBe(true);
    expect(reasonOf(key(), req("GetObject", { bucket: "other-project" }))).toBe("bucket");
  });
});

describe("prefix scope", () => {
  const limited = key({ permissions: [...KEY_PERMISSIONS], prefix: "team/" });

  it.each(OBJECT_OPS)("%s: object key inside the prefix allowed, outside denied", (op) => {
    expect(allowed(limited, req(op, { objectKey: "team/a/b.txt" }))).toBe(true);
    expect(reasonOf(limited, req(op, { objectKey: "other/b.txt" }))).toBe("prefix");
    expect(reasonOf(limited, req(op, { objectKey: "team" }))).toBe("prefix");
    expect(reasonOf(limited, req(op, { objectKey: "teamwork/x" }))).toBe("prefix");
    if (op !== "DeleteObjects") expect(reasonOf(limited, req(op, { objectKey: undefined }))).toBe("prefix");
  });

  it("DeleteObjects without an object key is the request-level check; each entry is checked with its key", () => {
    expect(allowed(limited, req("DeleteObjects", { objectKey: undefined }))).toBe(true);
    expect(allowed(limited, req("DeleteObjects", { objectKey: "team/x" }))).toBe(true);
    expect(reasonOf(limited, req("DeleteObjects", { objectKey: "x" }))).toBe("prefix");
  });

  it.each(LIST_OPS)("%s: the list prefix must start with the key's prefix", (op) => {
    expect(allowed(limited, req(op, { listPrefix: "team/" }))).toBe(true);
    expect(allowed(limited, req(op, { listPrefix: "team/sub/" }))).toBe(true);
    for (const listPrefix of ["", undefined, "team", "te", "other/", "tea/m/"]) {
      expect(reasonOf(limited, req(op, { listPrefix })), String(listPrefix)).toBe("prefix");
    }
  });

  it.each([...BUCKET_LEVEL_OPS, "ListBuckets" as const])("%s reveals no object names: allowed without a prefix", (op) => {
    expect(allowed(limited, req(op))).toBe(true);
  });

  it("a key without a prefix may list the whole bucket", () => {
    expect(allowed(key({ permissions: ["list"] }), req("ListObjectsV2", { listPrefix: undefined }))).toBe(true);
  });
});

describe("copy source scope", () => {
  const k = key({ permissions: ["read", "write"], allBuckets: false, buckets: ["alpha", "beta"], prefix: "team/" });
  it.each(COPY_OPS)("%s", (op) => {
    expect(allowed(k, req(op, { copySource: { bucket: "beta", key: "team/src" } }))).toBe(true);
    expect(reasonOf(k, req(op, { copySource: { bucket: "gamma", key: "team/src" } }))).toBe("bucket");
    expect(reasonOf(k, req(op, { copySource: { bucket: "elsewhere", key: "team/src" } }))).toBe("bucket");
    expect(reasonOf(k, req(op, { copySource: { bucket: "alpha", key: "other/src" } }))).toBe("prefix");
    expect(reasonOf(k, req(op, { copySource: undefined }))).toBe("bucket");
    expect(reasonOf(k, req(op, { objectKey: "other/dst" }))).toBe("prefix");
    expect(reasonOf(k, req(op, { copySource: { bucket: "alpha", key: "team/src", versionId: "3HL4kqtJ" } }))).toBe("permission");
    const withVersions = { ...k, permissions: ["read", "read_versions", "write"] };
    expect(allowed(withVersions, req(op, { copySource: { bucket: "alpha", key: "team/src", versionId: "3HL4kqtJ" } }))).toBe(true);
  });
});

describe("source IP", () => {
  const k = key({ allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"] });
  it.each([
    ["10.1.2.3", true],
    ["192.168.0.1", false],
    ["::ffff:10.0.0.7", true],
    ["::ffff:192.168.0.1", false],
    ["2001:db8::5", true],
    ["2001:db9::5", false],
    ["not-an-ip", false],
  ])("%s → %s", (sourceIp, expected) => {
    expect(reasonOf(k, req("GetObject", { sourceIp }))).toBe(expected ? "allow" : "ip");
  });

  it("an empty list means no IP limit; master keys honour a limit too", () => {
    expect(allowed(key(), req("GetObject", { sourceIp: "203.0.113.1" }))).toBe(true);
    expect(reasonOf(key({ kind: "MASTER", allowedCidrs: ["10.0.0.0/8"] }), req("GetObject", { sourceIp: "203.0.113.1" }))).toBe("ip");
  });
});

describe("expiry and revocation", () => {
  it("expired keys get AccessDenied with reason expired, from the expiry instant on", () => {
    const at = (ms: number) => key({ expiresAt: new Date(NOW.getTime() + ms) });
    expect(allowed(at(1), req("GetObject"))).toBe(true);
    expect(authorize(at(0), req("GetObject"))).toMatchObject({ allow: false, code: "AccessDenied", reason: "expired" });
    expect(reasonOf(at(-86_400_000), req("GetObject"))).toBe("expired");
  });

  it("revoked keys look like keys that never existed, whatever else is wrong", () => {
    const k = key({ kind: "MASTER", revokedAt: new Date(NOW.getTime() - 1000), expiresAt: new Date(0), allowedCidrs: ["10.0.0.0/8"] });
    for (const op of S3_OPERATIONS) {
      expect(authorize(k, req(op, { sourceIp: "203.0.113.1" }))).toEqual({
        allow: false, code: "InvalidAccessKeyId", reason: "revoked", message: INVALID_ACCESS_KEY_ID_MESSAGE,
      });
    }
  });

  it("expiry is checked before the IP and the scope", () => {
    expect(reasonOf(key({ expiresAt: new Date(0), allowedCidrs: ["10.0.0.0/8"] }), req("PutObject", { sourceIp: "1.1.1.1" }))).toBe("expired");
  });
});

describe("key kinds", () => {
  const kinds: [string, KeyScope, boolean, boolean][] = [
    // label, key, may use objects, may create/delete buckets
    ["MASTER", key({ kind: "MASTER", permissions: [], allBuckets: false, buckets: [], prefix: "x/" }), true, true],
    ["USER ADMIN", key({ kind: "USER", role: "ADMIN", permissions: [] }), true, true],
    ["USER MEMBER_PLUS", key({ kind: "USER", role: "MEMBER_PLUS", permissions: [] }), true, false],
    ["USER MEMBER", key({ kind: "USER", role: "MEMBER", permissions: [...KEY_PERMISSIONS] }), false, false],
    ["USER without role", key({ kind: "USER", permissions: [...KEY_PERMISSIONS] }), false, false],
    ["SUB with everything", key({ permissions: [...KEY_PERMISSIONS] }), true, false],
  ];

  for (const [label, k, objects, bucketAdmin] of kinds) {
    it(`${label}: data operations ${objects ? "allowed" : "denied"} on every project bucket`, () => {
      for (const op of DATA_OPS) {
        for (const bucket of PROJECT) {
          expect(reasonOf(k, req(op, { bucket, copySource: { bucket, key: "team/s" } })), `${op} ${bucket}`).toBe(objects ? "allow" : "permission");
        }
      }
    });

    it(`${label}: CreateBucket/DeleteBucket ${bucketAdmin ? "allowed" : "denied"}`, () => {
      expect(reasonOf(k, req("CreateBucket", { bucket: "brand-new" }))).toBe(bucketAdmin ? "allow" : "bucket_admin");
      expect(reasonOf(k, req("DeleteBucket", { bucket: "beta" }))).toBe(bucketAdmin ? "allow" : "bucket_admin");
    });
  }

  it("even a master key cannot touch another project's bucket", () => {
    const master = key({ kind: "MASTER" });
    expect(reasonOf(master, req("DeleteBucket", { bucket: "other-project" }))).toBe("bucket");
    expect(reasonOf(master, req("GetObject", { bucket: "other-project" }))).toBe("bucket");
    expect(reasonOf(master, req("CopyObject", { copySource: { bucket: "other-project", key: "k" } }))).toBe("bucket");
  });
});

describe("bucketsVisible", () => {
  const region = ["alpha", "beta", "gamma", "other-project"];
  it("shows the project's buckets in the key's scope", () => {
    expect(bucketsVisible(key({ permissions: ["list"] }), region)).toEqual(PROJECT);
    expect(bucketsVisible(key({ permissions: ["list"], allBuckets: false, buckets: ["beta", "other-project"] }), region)).toEqual(["beta"]);
    expect(bucketsVisible(key({ kind: "MASTER", permissions: [] }), region)).toEqual(PROJECT);
    expect(bucketsVisible(key({ kind: "USER", role: "MEMBER_PLUS" }), region)).toEqual(PROJECT);
  });

  it("shows nothing to keys that cannot list", () => {
    expect(bucketsVisible(key({ permissions: ["read"] }), region)).toEqual([]);
    expect(bucketsVisible(key({ kind: "USER", role: "MEMBER", permissions: ["list"] }), region)).toEqual([]);
  });
});

describe("keyHasPermission (Object Lock headers)", () => {
  it("needs the granular permission with its basic one; master and admin keys hold all, members none", () => {
    expect(keyHasPermission(key({ permissions: ["delete", "bypass_governance"] }), "bypass_governance")).toBe(true);
    expect(keyHasPermission(key({ permissions: ["bypass_governance"] }), "bypass_governance")).toBe(false);
    expect(keyHasPermission(key({ permissions: ["read", "write"] }), "write_retention")).toBe(false);
    expect(keyHasPermission(key({ kind: "MASTER", permissions: [] }), "bypass_governance")).toBe(true);
    expect(keyHasPermission(key({ kind: "USER", role: "ADMIN" }), "read_legal_hold")).toBe(true);
    expect(keyHasPermission(key({ kind: "USER", role: "MEMBER" }), "read_legal_hold")).toBe(false);
  });
});
