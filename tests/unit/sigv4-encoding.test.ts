// Canonical URI / query encoding rules (S3 flavour) and query parsing.
import { describe, expect, it } from "vitest";
import { canonicalizePath, canonicalizeQuery, parseQuery } from "../../gateway/sigv4/index";

describe("canonicalizePath", () => {
  it.each([
    ["", "/"],
    ["/", "/"],
    ["/bucket/key", "/bucket/key"],
    ["/a b", "/a%20b"],
    ["/a%20b", "/a%20b"],
    ["/a+b", "/a%2Bb"], // '+' is literal in a path
    ["/a%2fb", "/a%2Fb"], // an encoded slash stays part of the segment
    ["/%7e%41", "/~A"], // unreserved characters are decoded
    ["/test$file.text", "/test%24file.text"],
    ["/ü", "/%C3%BC"],
    ["/%c3%bc", "/%C3%BC"],
    ["/%FF%zz%", "/%FF%25zz%25"], // invalid UTF-8 and stray '%' round-trip as bytes
    ["/a//b/./c/../", "/a//b/./c/../"], // no normalisation for S3
    ["/%2e%2e/x", "/../x"],
    ["/😀", "/%F0%9F%98%80"],
  ])("%s -> %s", (input, expected) => {
    expect(canonicalizePath(input)).toBe(expected);
  });
});

describe("canonicalizeQuery", () => {
  it.each([
    ["", ""],
    ["b=2&a=1", "a=1&b=2"],
    ["lifecycle", "lifecycle="],
    ["a=&b", "a=&b="],
    ["a=x+y", "a=x%20y"], // form semantics, like URLSearchParams
    ["a=x%2By", "a=x%2By"],
    ["a=2&a=10&a=1", "a=1&a=10&a=2"],
    ["a&&b=1&", "a=&b=1"],
    ["%41=%7e", "A=~"],
    ["k=a/b:c", "k=a%2Fb%3Ac"],
    ["B=1&a=1&_=1&-=1", "-=1&B=1&_=1&a=1"],
    ["a-=1&a=2", "a=2&a-=1"], // sorted by name, then value (not by the joined pair)
  ])("%s -> %s", (input, expected) => {
    expect(canonicalizeQuery(input)).toBe(expected);
  });

  it("drops only the exact excluded name", () => {
    expect(canonicalizeQuery("X-Amz-Signature=abc&x-amz-signature=d&q=1", "X-Amz-Signature")).toBe("q=1&x-amz-signature=d");
  });
});

describe("parseQuery", () => {
  it("decodes like URLSearchParams", () => {
    const raw = "prefix=a+b%2Bc%2F%C3%BC&delimiter=%2F&empty&x=1=2";
    expect(parseQuery(raw)).toEqual([...new URLSearchParams(raw)]);
  });
});
