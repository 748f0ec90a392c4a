import { describe, expect, it } from "vitest";
import { S3Error } from "../../gateway/errors";
import { bucketFromHost, routeRequest, type S3Route } from "../../gateway/router";

const domains = ["s3.example.com", "localhost"];

function route(method: string, url: string, headers: Record<string, string> = {}): S3Route | S3Error {
  return routeRequest({ method, url, headers: { host: "127.0.0.1:9000", ...headers } }, { domains });
}

function ok(method: string, url: string, headers: Record<string, string> = {}): S3Route {
  const r = route(method, url, headers);
  if (r instanceof S3Error) throw new Error(`expected a route, got ${r.code}: ${r.message}`);
  return r;
}

function err(method: string, url: string, headers: Record<string, string> = {}): S3Error {
  const r = route(method, url, headers);
  if (!(r instanceof S3Error)) throw new Error(`expected an error, got ${r.operation}`);
  return r;
}

describe("routeRequest: operations (path style)", () => {
  const cases: [string, string, Record<string, string>, string, string | undefined, string | undefined][] = [
    ["GET", "/", {}, "ListBuckets", undefined, undefined],
    ["GET", "/?x-id=ListBuckets", {}, "ListBuckets", undefined, undefined],
    ["PUT", "/bkt", {}, "CreateBucket", "bkt", undefined],
    ["PUT", "/bkt/", {}, "CreateBucket", "bkt", undefined],
    ["DELETE", "/bkt", {}, "DeleteBucket", "bkt", undefined],
    ["HEAD", "/bkt", {}, "HeadBucket", "bkt", undefined],
    ["GET", "/bkt?location", {}, "GetBucketLocation", "bkt", undefined],
    ["GET", "/bkt?versioning", {}, "GetBucketVersioning", "bkt", undefined],
    ["GET", "/bkt", {}, "ListObjects", "bkt", undefined],
    ["GET", "/bkt?prefix=a&marker=b", {}, "ListObjects", "bkt", undefined],
    ["GET", "/bkt?list-type=2", {}, "ListObjectsV2", "bkt", undefined],
    ["GET", "/bkt?versions", {}, "ListObjectVersions", "bkt", undefined],
    ["GET", "/bkt?object-lock", {}, "GetObjectLockConfiguration", "bkt", undefined],
    ["PUT", "/bkt?object-lock", {}, "PutObjectLockConfiguration", "bkt", undefined],
    ["GET", "/bkt/k?retention", {}, "GetObjectRetention", "bkt", "k"],
    ["PUT", "/bkt/k?retention&versionId=null", {}, "PutObjectRetention", "bkt", "k"],
    ["GET", "/bkt/k?legal-hold", {}, "GetObjectLegalHold", "bkt", "k"],
    ["PUT", "/bkt/k?legal-hold", {}, "PutObjectLegalHold", "bkt", "k"],
    ["GET", "/bkt?uploads", {}, "ListMultipartUploads", "bkt", undefined],
    ["POST", "/bkt?delete", {}, "DeleteObjects", "bkt", undefined],
    ["POST", "/bkt", {}, "PostObject", "bkt", undefined],
    ["GET", "/bkt?cors", {}, "GetBucketCors", "bkt", undefined],
    ["PUT", "/bkt?cors", {}, "PutBucketCors", "bkt", undefined],
    ["DELETE", "/bkt?cors", {}, "DeleteBucketCors", "bkt", undefined],
    ["PUT", "/bkt/k", {}, "PutObject", "bkt", "k"],
    ["PUT", "/bkt/k?x-id=PutObject", {}, "PutObject", "bkt", "k"],
    ["GET", "/bkt/k", {}, "GetObject", "bkt", "k"],
    ["HEAD", "/bkt/k", {}, "HeadObject", "bkt", "k"],
    ["DELETE", "/bkt/k", {}, "DeleteObject", "bkt", "k"],
    ["PUT", "/bkt/k", { "x-amz-copy-source": "/src/a" }, "CopyObject", "bkt", "k"],
    ["POST", "/bkt/k?uploads", {}, "CreateMultipartUpload", "bkt", "k"],
    ["PUT", "/bkt/k?partNumber=1&uploadId=u", {}, "UploadPart", "bkt", "k"],
    ["PUT", "/bkt/k?partNumber=1&uploadId=u", { "x-amz-copy-source": "src/a" }, "UploadPartCopy", "bkt", "k"],
    ["POST", "/bkt/k?uploadId=u", {}, "CompleteMultipartUpload", "bkt", "k"],
    ["DELETE", "/bkt/k?uploadId=u", {}, "AbortMultipartUpload", "bkt", "k"],
    ["GET", "/bkt/k?uploadId=u", {}, "ListParts", "bkt", "k"],
  ];
  it.each(cases)("%s %s %j → %s", (method, url, headers, operation, bucket, key) => {
    const r = ok(method, url, headers);
    expect(r.operation).toBe(operation);
    expect(r.bucket).toBe(bucket);
    expect(r.key).toBe(key);
    expect(r.style).toBe("path");
  });
});

describe("routeRequest: keys are literal", () => {
  const cases: [string, string][] = [
    ["/bkt/a/../b", "a/../b"],
    ["/bkt/./x", "./x"],
    ["/bkt//", "/"],
    ["/bkt//lead", "/lead"],
    ["/bkt/dir/", "dir/"],
    ["/bkt/a//b", "a//b"],
    ["/bkt/sp%20ace+plus", "sp ace+plus"],
    ["/bkt/%E2%9C%93%2Fslash", "✓/slash"],
    ["/bkt/q%3Fmark%23hash", "q?mark#hash"],
    ["/bkt/%25", "%"],
    ["/bkt/..", ".."],
  ];
  it.each(cases)("%s → key %j", (url, key) => {
    expect(ok("GET", url).key).toBe(key);
  });

  it("accepts absolute-form request targets", () => {
    const r = ok("GET", "http://127.0.0.1:9000/bkt/k?list-type=2");
    expect([r.bucket, r.key]).toEqual(["bkt", "k"]);
  });
  it("rejects malformed percent-encoding and too long keys", () => {
    expect(err("GET", "/bkt/%E2%9C").code).toBe("InvalidURI");
    expect(err("GET", "/bkt/%zz").code).toBe("InvalidURI");
    expect(err("PUT", `/bkt/${"k".repeat(1025)}`).code).toBe("KeyTooLongError");
    expect(ok("PUT", `/bkt/${"k".repeat(1024)}`).operation).toBe("PutObject");
  });
  it("rejects invalid bucket names", () => {
    expect(err("PUT", "/Bad_Bucket").code).toBe("InvalidBucketName");
    expect(err("GET", "/../etc/passwd").code).toBe("InvalidBucketName");
    expect(err("GET", "/a%2Fb/k").code).toBe("InvalidBucketName");
  });
});

describe("routeRequest: virtual-hosted style", () => {
  const cases: [string, string, string, string | undefined, string][] = [
    ["bkt.s3.example.com", "/", "bkt", undefined, "ListObjects"],
    ["bkt.s3.example.com:9000", "/k/x", "bkt", "k/x", "GetObject"],
    ["my.dotted.bkt.s3.example.com", "/k", "my.dotted.bkt", "k", "GetObject"],
    ["BKT.S3.Example.COM", "/k", "bkt", "k", "GetObject"],
    ["bkt.localhost:9000", "//", "bkt", "/", "GetObject"],
    ["bkt.localhost", "/?location", "bkt", undefined, "GetBucketLocation"],
  ];
  it.each(cases)("host %s url %s → %s/%s", (host, url, bucket, key, operation) => {
    const r = ok("GET", url, { host });
    expect([r.bucket, r.key, r.operation, r.style]).toEqual([bucket, key, operation, "virtual"]);
  });
  it("treats the bare domain, IPs and other hosts as path style", () => {
    for (const host of ["s3.example.com", "localhost:9000", "127.0.0.1", "[::1]:9000", "other.example.org"]) {
      const r = ok("GET", "/bkt/k", { host });
      expect([r.bucket, r.key, r.style]).toEqual(["bkt", "k", "path"]);
    }
  });
  it("bucketFromHost prefers the longest matching domain", () => {
    expect(bucketFromHost("b1.s3.example.com", ["example.com", "s3.example.com"])).toBe("b1");
    expect(bucketFromHost("example.com", ["example.com"])).toBeNull();
    expect(bucketFromHost(undefined, ["example.com"])).toBeNull();
  });
});

describe("routeRequest: refusals", () => {
  const cases: [string, string, Record<string, string>, string, number][] = [
    ["GET", "/bkt?acl", {}, "NotImplemented", 501],
    ["PUT", "/bkt/k?acl", {}, "NotImplemented", 501],
    ["GET", "/bkt/k?tagging", {}, "NotImplemented", 501],
    ["PUT", "/bkt?policy", {}, "NotImplemented", 501],
    ["GET", "/bkt/k?cors", {}, "NotImplemented", 501],
    ["POST", "/bkt?cors", {}, "MethodNotAllowed", 405],
    ["PUT", "/bkt?lifecycle", {}, "NotImplemented", 501],
    ["DELETE", "/bkt?object-lock", {}, "MethodNotAllowed", 405],
    ["DELETE", "/bkt/k?retention", {}, "MethodNotAllowed", 405],
    ["GET", "/bkt?legal-hold", {}, "NotImplemented", 501],
    ["GET", "/bkt/k?object-lock", {}, "NotImplemented", 501],
    ["GET", "/bkt/k?partNumber=1", {}, "NotImplemented", 501],
    ["GET", "/bkt?list-type=3", {}, "InvalidArgument", 400],
    ["PUT", "/bkt/k?uploadId=u", {}, "InvalidArgument", 400],
    ["PUT", "/bkt/k?partNumber=2", {}, "InvalidRequest", 400],
    ["PATCH", "/bkt/k", {}, "MethodNotAllowed", 405],
    ["PUT", "/", {}, "MethodNotAllowed", 405],
    ["POST", "/bkt/k", {}, "MethodNotAllowed", 405],
    ["PUT", "/bkt/k", { "x-amz-acl": "public-read" }, "AccessControlListNotSupported", 400],
    ["PUT", "/bkt", { "x-amz-grant-read": "uri=x" }, "AccessControlListNotSupported", 400],
    ["PUT", "/bkt/k", { "x-amz-server-side-encryption": "AES256" }, "NotImplemented", 501],
    ["GET", "/bkt/k?versionId=", {}, "InvalidArgument", 400],
    ["PUT", "/bkt/k", { "x-amz-copy-source": "nokey" }, "InvalidArgument", 400],
    ["PUT", "/bkt/k", { "x-amz-copy-source": "/src/" }, "InvalidArgument", 400],
    ["PUT", "/bkt/k", { "x-amz-copy-source": "src/k?versionId=" }, "InvalidArgument", 400],
    ["PUT", "/bkt/k", { "x-amz-copy-source": "src/%E2" }, "InvalidArgument", 400],
  ];
  it.each(cases)("%s %s %j → %s", (method, url, headers, code, status) => {
    const e = err(method, url, headers);
    expect([e.code, e.status]).toEqual([code, status]);
  });
  it("accepts private ACLs and any version id (storage refuses ids it never issued)", () => {
    expect(ok("PUT", "/bkt/k", { "x-amz-acl": "private" }).operation).toBe("PutObject");
    expect(ok("PUT", "/bkt/k", { "x-amz-acl": "bucket-owner-full-control" }).operation).toBe("PutObject");
    expect(ok("GET", "/bkt/k?versionId=null").versionId).toBe("null");
    expect(ok("DELETE", "/bkt/k?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY").versionId).toBe("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    expect(ok("PUT", "/bkt?versioning").operation).toBe("PutBucketVersioning");
  });
});

describe("routeRequest: copy source", () => {
  const cases: [string, { bucket: string; key: string; versionId?: string }][] = [
    ["src/a/b.txt", { bucket: "src", key: "a/b.txt" }],
    ["/src/a/b.txt", { bucket: "src", key: "a/b.txt" }],
    ["src/sp%20ace%2Bplus%3F", { bucket: "src", key: "sp ace+plus?" }],
    ["src/k?versionId=null", { bucket: "src", key: "k", versionId: "null" }],
    ["src/k?versionId=0123456789abcdef01234567", { bucket: "src", key: "k", versionId: "0123456789abcdef01234567" }],
    ["src/a/../b", { bucket: "src", key: "a/../b" }],
  ];
  it.each(cases)("%s", (header, expected) => {
    expect(ok("PUT", "/dst/k", { "x-amz-copy-source": header }).copySource).toEqual(expected);
  });
});
