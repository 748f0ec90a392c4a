import { describe, expect, it } from "vitest";
import { S3Error } from "../../gateway/errors";
import {
  type ConditionalMode,
  type Conditionals,
  etagMatches,
  evaluateConditionals,
  extractMetadata,
  objectHeaders,
  parseRange,
} from "../../gateway/http";
import { parseCopySourceRange } from "../../gateway/ops/copy";
import { decodeContinuationToken, encodeContinuationToken, parseMaxKeys } from "../../gateway/ops/list-params";
import { pageUploads } from "../../gateway/ops/multipart-list";
import { validateBucketName } from "../../lib/s3/bucket-name";

describe("parseRange", () => {
  const cases: [string | undefined, number, ReturnType<typeof parseRange>][] = [
    [undefined, 10, null],
    ["bytes=0-4", 10, { start: 0, end: 4 }],
    ["bytes=2-", 10, { start: 2, end: 9 }],
    ["bytes=5-100", 10, { start: 5, end: 9 }],
    ["bytes=9-9", 10, { start: 9, end: 9 }],
    ["bytes=-3", 10, { start: 7, end: 9 }],
    ["bytes=-30", 10, { start: 0, end: 9 }],
    ["bytes=10-", 10, "unsatisfiable"],
    ["bytes=10-20", 10, "unsatisfiable"],
    ["bytes=-0", 10, "unsatisfiable"],
    ["bytes=0-", 0, "unsatisfiable"],
    ["bytes=-5", 0, "unsatisfiable"],
    ["bytes=5-2", 10, null],
    ["bytes=0-1,3-4", 10, null],
    ["items=0-1", 10, null],
    ["bytes=-", 10, null],
    ["bytes=abc", 10, null],
  ];
  it.each(cases)("%s of %i → %j", (header, size, expected) => expect(parseRange(header, size)).toEqual(expected));
});

describe("parseCopySourceRange", () => {
  it("accepts ranges inside the source and refuses others", () => {
    expect(parseCopySourceRange(undefined, 10)).toBeUndefined();
    expect(parseCopySourceRange("bytes=0-9", 10)).toEqual({ start: 0, end: 9 });
    for (const bad of ["bytes=0-10", "bytes=5-4", "bytes=-3", "bytes=3-", "0-1"]) {
      expect(() => parseCopySourceRange(bad, 10)).toThrow(S3Error);
    }
  });
});

describe("conditionals (RFC 7232 order, as S3)", () => {
  const info = { etag: '"e1"', lastModified: new Date("2024-05-01T12:00:00.500Z") };
  const before = "Wed, 01 May 2024 11:00:00 GMT";
  const same = "Wed, 01 May 2024 12:00:00 GMT";
  const after = "Wed, 01 May 2024 13:00:00 GMT";
  const cases: [Conditionals, ConditionalMode, string][] = [
    [{}, "read", "proceed"],
    [{ ifMatch: '"e1"' }, "read", "proceed"],
    [{ ifMatch: "e1" }, "read", "proceed"],
    [{ ifMatch: '"x", "e1"' }, "read", "proceed"],
    [{ ifMatch: "*" }, "read", "proceed"],
    [{ ifMatch: '"x"' }, "read", "412 If-Match"],
    [{ ifUnmodifiedSince: before }, "read", "412 If-Unmodified-Since"],
    [{ ifUnmodifiedSince: same }, "read", "proceed"],
    [{ ifMatch: '"e1"', ifUnmodifiedSince: before }, "read", "proceed"],
    [{ ifNoneMatch: '"e1"' }, "read", "304"],
    [{ ifNoneMatch: 'W/"e1"' }, "read", "304"],
    [{ ifNoneMatch: '"x"' }, "read", "proceed"],
    [{ ifNoneMatch: "*" }, "read", "304"],
    [{ ifModifiedSince: same }, "read", "304"],
    [{ ifModifiedSince: after }, "read", "304"],
    [{ ifModifiedSince: before }, "read", "proceed"],
    [{ ifModifiedSince: "not a date" }, "read", "proceed"],
    [{ ifNoneMatch: '"x"', ifModifiedSince: after }, "read", "proceed"],
    [{ ifNoneMatch: '"e1"', ifModifiedSince: before }, "read", "304"],
    [{ ifMatch: '"x"', ifNoneMatch: '"e1"' }, "read", "412 If-Match"],
    [{ ifNoneMatch: "*" }, "write", "412 If-None-Match"],
    [{ ifModifiedSince: same }, "write", "proceed"],
    [{ ifNoneMatch: '"e1"' }, "copy", "412 x-amz-copy-source-If-None-Match"],
    [{ ifModifiedSince: after }, "copy", "412 x-amz-copy-source-If-Modified-Since"],
    [{ ifMatch: '"e1"', ifUnmodifiedSince: before }, "copy", "proceed"],
    [{ ifNoneMatch: '"x"', ifModifiedSince: after }, "copy", "proceed"],
  ];
  it.each(cases)("%j (%s) → %s", (c, mode, expected) => {
    const v = evaluateConditionals(c, info, mode);
    const got = v instanceof S3Error ? `${v.status} ${v.extra.Condition}` : v === "not-modified" ? "304" : v;
    expect(got).toBe(expected);
  });
  it("etagMatches compares strongly after stripping quotes", () => {
    expect(etagMatches('"abc-2"', '"abc-2"')).toBe(true);
    expect(etagMatches('"abc"', '"abc-2"')).toBe(false);
  });
});

describe("metadata and response headers", () => {
  it("extracts user metadata and standard headers, defaulting the content type", () => {
    const m = extractMetadata({ "x-amz-meta-color": "blue", "x-amz-meta-empty": "", "content-disposition": "inline", "cache-control": "no-cache", "x-other": "1" });
    expect(m).toEqual({ userMetadata: { color: "blue", empty: "" }, contentDisposition: "inline", cacheControl: "no-cache", contentType: "binary/octet-stream" });
    expect(() => extractMetadata({ "x-amz-meta-big": "x".repeat(2100) })).toThrow(/metadata/);
  });
  it("builds object headers with response-* overrides and RFC 2047 for non-Latin-1", () => {
    const info = { key: "k", size: 1, etag: '"e"', lastModified: new Date(0), metadata: { contentType: "text/plain", contentLanguage: "en", userMetadata: { who: "✓" } } };
    const h = objectHeaders(info, new URLSearchParams("response-content-type=application/json&response-cache-control=max-age=1"));
    expect(h).toMatchObject({
      "content-type": "application/json", "cache-control": "max-age=1", "content-language": "en", etag: '"e"',
      "last-modified": "Thu, 01 Jan 1970 00:00:00 GMT", "accept-ranges": "bytes", "x-amz-meta-who": "=?UTF-8?B?4pyT?=",
    });
  });
});

describe("listing parameters", () => {
  it.each([
    [null, 1000], ["0", 0], ["5", 5], ["1000", 1000], ["5000", 1000],
  ])("max-keys %s → %i", (raw, expected) => {
    const q = new URLSearchParams(raw === null ? "" : `max-keys=${raw}`);
    expect(parseMaxKeys(q, "max-keys")).toBe(expected);
  });
  it.each(["-1", "abc", "1.5", "", "99999999999"])("max-keys %j → InvalidArgument", (raw) => {
    expect(() => parseMaxKeys(new URLSearchParams({ "max-keys": raw }), "max-keys")).toThrow(/max-keys/);
  });
  it("round-trips continuation tokens and refuses forged ones", () => {
    for (const key of ["a", "dir/é ✓", "x".repeat(1024)]) expect(decodeContinuationToken(encodeContinuationToken(key))).toBe(key);
    for (const bad of ["", "!!", "YWJj", encodeContinuationToken("a") + "="]) expect(() => decodeContinuationToken(bad)).toThrow(S3Error);
  });
  it("pages multipart uploads with markers and delimiter", () => {
    const at = new Date(0);
    const all = [
      { key: "b", uploadId: "2", initiated: at }, { key: "a", uploadId: "1", initiated: at },
      { key: "d/x", uploadId: "3", initiated: at }, { key: "d/y", uploadId: "4", initiated: at }, { key: "e", uploadId: "5", initiated: at },
    ];
    const p1 = pageUploads(all, { prefix: "", delimiter: "/", keyMarker: "", uploadIdMarker: "", maxUploads: 3 });
    expect([p1.uploads.map((u) => u.key), p1.commonPrefixes, p1.isTruncated, p1.nextKeyMarker]).toEqual([["a", "b"], ["d/"], true, "d/"]);
    const p2 = pageUploads(all, { prefix: "", delimiter: "/", keyMarker: "d/", uploadIdMarker: "", maxUploads: 3 });
    expect([p2.uploads.map((u) => u.key), p2.isTruncated]).toEqual([["e"], false]);
    const p3 = pageUploads(all, { prefix: "", keyMarker: "b", uploadIdMarker: "", maxUploads: 10 });
    expect(p3.uploads.map((u) => u.uploadId)).toEqual(["3", "4", "5"]);
  });
});

describe("validateBucketName", () => {
  it.each(["abc", "my-bucket", "my.bucket.name", "a".repeat(63), "123", "b1-2.c3"])("accepts %s", (name) => {
    expect(validateBucketName(name)).toBeNull();
  });
  it.each([
    "ab", "a".repeat(64), "My-Bucket", "my_bucket", "-abc", "abc-", ".abc", "abc.", "a..b", "a.-b", "a-.b",
    "192.168.5.4", "xn--abc", "sthree-abc", "amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3", "abc.mrap", "abc--x-s3",
    "abc--table-s3", "a b c", "ünï",
  ])("refuses %s", (name) => {
    expect(validateBucketName(name)).toMatch(/Bucket names/);
  });
});
