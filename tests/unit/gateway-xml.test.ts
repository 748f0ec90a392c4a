import { Readable } from "node:stream";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { S3Error, invalidArgument, noSuchKey } from "../../gateway/errors";
import { escapeXml, renderDeleteResult, renderError, renderLocation, renderVersioning, s3UrlEncode } from "../../gateway/xml";
import { renderListMultipartUploads, renderListObjectsV1, renderListObjectsV2, renderListVersions } from "../../gateway/xml-lists";
import {
  parseCompleteMultipartUpload,
  parseCreateBucketConfiguration,
  parseDeleteRequest,
  readXmlBody,
} from "../../gateway/xml-parse";
import type { ObjectInfo } from "../../lib/storage/types";

const owner = { id: "o", displayName: "o" };
const obj = (key: string): ObjectInfo => ({
  key, size: 3, etag: '"abc"', lastModified: new Date("2024-01-02T03:04:05.678Z"), metadata: { userMetadata: {} },
});
const reader = new XMLParser({ parseTagValue: false, trimValues: false, ignoreAttributes: false });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as S3Error).code;
  }
  return "no error";
}

describe("escaping and url encoding", () => {
  it.each([
    ["a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f"],
    ["cr\rlf\ntab\t", "cr&#13;lf\ntab\t"],
    ["ctl\x01\x1f", "ctl&#1;&#31;"],
    ["ünï ✓", "ünï ✓"],
  ])("escapeXml(%j)", (input, expected) => expect(escapeXml(input)).toBe(expected));

  it.each([
    ["a b", "a+b"],
    ["dir/sub/", "dir/sub/"],
    ["a+b", "a%2Bb"],
    ["x*y~z", "x*y%7Ez"],
    ["é", "%C3%A9"],
    ["a&b=c?", "a%26b%3Dc%3F"],
    ["-_.", "-_."],
    ["\n", "%0A"],
  ])("s3UrlEncode(%j)", (input, expected) => expect(s3UrlEncode(input)).toBe(expected));
});

describe("rendering", () => {
  it("renders errors with escaping, extra fields and request id", () => {
    const err = noSuchKey("a<b>&c");
    err.resource = "/bkt/a<b>&c";
    const xml = renderError(err, "req-1");
    expect(xml).toContain("<Code>NoSuchKey</Code>");
    expect(xml).toContain("<Key>a&lt;b&gt;&amp;c</Key>");
    expect(xml).toContain("<Resource>/bkt/a&lt;b&gt;&amp;c</Resource><RequestId>req-1</RequestId>");
    const parsed = reader.parse(renderError(invalidArgument("bad", "max-keys", "x"), "r"));
    expect(parsed.Error).toMatchObject({ Code: "InvalidArgument", ArgumentName: "max-keys", ArgumentValue: "x" });
  });

  it("renders location and versioning", () => {
    expect(renderLocation("us-east-1")).toContain("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>");
    expect(renderLocation("eu-west-3")).toContain(">eu-west-3</LocationConstraint>");
    expect(renderVersioning()).toContain("<VersioningConfiguration xmlns=");
  });

  it("renders ListObjects v1 with NextMarker only when a delimiter is set", () => {
    const page = { bucket: "b", prefix: "p", maxKeys: 2, encodingUrl: false, objects: [obj("p/a&b")], commonPrefixes: ["p/d/"], isTruncated: true, marker: "", nextMarker: "p/d/", owner };
    expect(renderListObjectsV1(page)).not.toContain("NextMarker");
    const xml = renderListObjectsV1({ ...page, delimiter: "/" });
    const r = reader.parse(xml).ListBucketResult;
    expect(r).toMatchObject({ Name: "b", Prefix: "p", NextMarker: "p/d/", IsTruncated: "true", Delimiter: "/" });
    expect(r.Contents).toMatchObject({ Key: "p/a&b", ETag: '"abc"', Size: "3", LastModified: "2024-01-02T03:04:05.678Z", StorageClass: "STANDARD" });
    expect(r.CommonPrefixes).toEqual({ Prefix: "p/d/" });
  });

  it("url-encodes keys, prefixes, delimiter and start-after with encoding-type=url", () => {
    const xml = renderListObjectsV2({
      bucket: "b", prefix: "a b", delimiter: " ", maxKeys: 1000, encodingUrl: true, objects: [obj("a b/c+d")],
      commonPrefixes: ["a b/é "], isTruncated: false, startAfter: "a+",
    });
    const r = reader.parse(xml).ListBucketResult;
    expect(r).toMatchObject({ Prefix: "a+b", Delimiter: "+", StartAfter: "a%2B", KeyCount: "2", EncodingType: "url" });
    expect(r.Contents.Key).toBe("a+b/c%2Bd");
    expect(r.CommonPrefixes.Prefix).toBe("a+b/%C3%A9+");
    expect(xml).not.toContain("<Owner>");
  });

  it("renders versions and delete markers in order, with both next markers", () => {
    const v = (versionId: string, deleteMarker: boolean, isLatest: boolean) => ({ ...obj("k"), versionId, deleteMarker, isLatest });
    const xml = renderListVersions({
      bucket: "b", prefix: "", maxKeys: 2, encodingUrl: false, versions: [v("m1", true, true), v("v1", false, false)], commonPrefixes: [],
      isTruncated: true, keyMarker: "", versionIdMarker: "", nextKeyMarker: "k", nextVersionIdMarker: "v1", owner,
    });
    expect(xml.indexOf("<DeleteMarker>")).toBeLessThan(xml.indexOf("<Version>"));
    const r = reader.parse(xml).ListVersionsResult;
    expect(r.DeleteMarker).toMatchObject({ Key: "k", VersionId: "m1", IsLatest: "true" });
    expect(r.DeleteMarker.ETag).toBeUndefined();
    expect(r.Version).toMatchObject({ Key: "k", VersionId: "v1", IsLatest: "false" });
    expect(r).toMatchObject({ NextKeyMarker: "k", NextVersionIdMarker: "v1" });
  });

  it("renders multipart upload listings", () => {
    const xml = renderListMultipartUploads({
      bucket: "b", prefix: "", keyMarker: "", uploadIdMarker: "", maxUploads: 1, encodingUrl: false,
      uploads: [{ key: "k", uploadId: "u1", initiated: new Date(0) }], commonPrefixes: [], isTruncated: true,
      nextKeyMarker: "k", nextUploadIdMarker: "u1", owner,
    });
    expect(reader.parse(xml).ListMultipartUploadsResult).toMatchObject({ NextKeyMarker: "k", NextUploadIdMarker: "u1", IsTruncated: "true" });
  });

  it("renders delete results, quiet mode listing only errors", () => {
    const outcomes = [
      { key: "a", deleted: true as const },
      { key: "b<", deleted: false as const, code: "AccessDenied", message: "Access Denied" },
    ];
    const loud = renderDeleteResult(outcomes, false);
    expect(loud).toContain("<Deleted><Key>a</Key></Deleted>");
    expect(loud).toContain("<Error><Key>b&lt;</Key><Code>AccessDenied</Code>");
    expect(renderDeleteResult(outcomes, true)).not.toContain("<Deleted>");
  });
});

describe("parsing request bodies", () => {
  it("parses Delete with entities, char refs, whitespace and numeric-looking keys", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <Quiet>true</Quiet>
      <Object><Key> a&amp;b&#13;&#x41;&lt; </Key></Object>
      <Object><Key>0123</Key><VersionId>null</VersionId></Object>
      <Object><Key>&amp;#13;</Key></Object>
    </Delete>`;
    expect(parseDeleteRequest(xml)).toEqual({
      quiet: true,
      objects: [{ key: " a&b\rA< " }, { key: "0123", versionId: "null" }, { key: "&#13;" }],
    });
  });

  it.each([
    ["garbage", "MalformedXML"],
    ["", "MalformedXML"],
    ["<Delete><Object><Key>a</Key></Delete>", "MalformedXML"],
    ["<Delete></Delete>", "MalformedXML"],
    ["<Other><Object><Key>a</Key></Object></Other>", "MalformedXML"],
    ["<Delete><Object><Key></Key></Object></Delete>", "MalformedXML"],
    ["<Delete><Object><Key>a<b/></Key></Object></Delete>", "MalformedXML"],
    ['<!DOCTYPE x [<!ENTITY a "b">]><Delete><Object><Key>&a;</Key></Object></Delete>', "MalformedXML"],
    [`<Delete>${"<Object><Key>k</Key></Object>".repeat(1001)}</Delete>`, "MalformedXML"],
  ])("refuses Delete body %#", (xml, code) => expect(codeOf(() => parseDeleteRequest(xml))).toBe(code));

  it("accepts 1000 keys", () => {
    expect(parseDeleteRequest(`<Delete>${"<Object><Key>k</Key></Object>".repeat(1000)}</Delete>`).objects).toHaveLength(1000);
  });

  it("parses CompleteMultipartUpload and normalizes ETags", () => {
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"aa"</ETag></Part>
      <Part><ETag>bb</ETag><PartNumber>2</PartNumber></Part><Part><PartNumber>3</PartNumber><ETag>&quot;cc&quot;</ETag></Part></CompleteMultipartUpload>`;
    expect(parseCompleteMultipartUpload(xml)).toEqual([
      { partNumber: 1, etag: '"aa"' },
      { partNumber: 2, etag: '"bb"' },
      { partNumber: 3, etag: '"cc"' },
    ]);
    expect(codeOf(() => parseCompleteMultipartUpload("<CompleteMultipartUpload/>"))).toBe("MalformedXML");
    expect(codeOf(() => parseCompleteMultipartUpload("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>"))).toBe("MalformedXML");
    expect(codeOf(() => parseCompleteMultipartUpload("<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>"))).toBe("InvalidArgument");
  });

  it("parses CreateBucketConfiguration", () => {
    expect(parseCreateBucketConfiguration("")).toEqual({});
    expect(parseCreateBucketConfiguration("<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")).toEqual({ locationConstraint: "eu-west-1" });
    expect(codeOf(() => parseCreateBucketConfiguration("nope"))).toBe("MalformedXML");
  });

  it("limits body size while reading", async () => {
    await expect(readXmlBody(Readable.from([Buffer.alloc(10)]), 20)).resolves.toHaveLength(10);
    await expect(readXmlBody(Readable.from([Buffer.alloc(15), Buffer.alloc(15)]), 20)).rejects.toMatchObject({ code: "MaxMessageLengthExceeded" });
  });

  it("reads an oversized body to its end before refusing it (the client can read the answer)", async () => {
    let read = 0;
    const body = Readable.from((function* () {
      for (let i = 0; i < 10; i++) { read++; yield Buffer.alloc(10); }
    })());
    await expect(readXmlBody(body, 20)).rejects.toMatchObject({ code: "MaxMessageLengthExceeded" });
    expect(read).toBe(10);
  });

  it("refuses deeply nested documents without overflowing the stack", () => {
    const deep = `<Delete>${"<a>".repeat(120_000)}${"</a>".repeat(120_000)}</Delete>`;
    expect(codeOf(() => parseDeleteRequest(deep))).toBe("MalformedXML");
    const fine = `<Delete>${"<a>".repeat(20)}${"</a>".repeat(20)}<Object><Key>k</Key></Object></Delete>`;
    expect(parseDeleteRequest(fine).objects).toEqual([{ key: "k" }]);
  });

  it("refuses control characters XML 1.0 does not allow", () => {
    expect(codeOf(() => parseDeleteRequest("<Delete><Object><Key>a\u0000b</Key></Object></Delete>"))).toBe("MalformedXML");
    expect(codeOf(() => parseDeleteRequest("<Delete><Object><Key>a\u0001b</Key></Object></Delete>"))).toBe("MalformedXML");
    expect(parseDeleteRequest("<Delete><Object><Key>a\tb</Key></Object></Delete>").objects).toEqual([{ key: "a\tb" }]);
  });
});
