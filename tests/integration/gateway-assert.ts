// Assertions on raw gateway answers (tests/bench/sign.ts), shared by the protocol suites.
import { XMLParser } from "fast-xml-parser";
import { expect } from "vitest";
import type { RawResponse } from "../bench/sign";

// Tag values stay text: a request id of 16 digits (one in ~1,800) would otherwise become a number.
const xml = new XMLParser({ parseTagValue: false });

/** An S3 error answer: status, code, and the shape every error must have. */
export function expectS3Error(res: RawResponse, status: number, code: string, method = "GET") {
  expect(res.status).toBe(status);
  const requestId = res.headers["x-amz-request-id"];
  expect(requestId).toMatch(/^[0-9A-F]{16}$/);
  if (method === "HEAD") {
    expect(res.body.length).toBe(0);
    return;
  }
  expect(res.headers["content-type"]).toBe("application/xml");
  const doc = xml.parse(res.body.toString()).Error;
  expect(doc, res.body.toString()).toBeDefined();
  expect(doc.Code).toBe(code);
  expect(typeof doc.Message).toBe("string");
  expect(doc.Message.length).toBeGreaterThan(0);
  expect(doc.Resource, `Resource missing in ${res.body}`).toMatch(/^\//);
  expect(doc.RequestId).toBe(requestId);
  return doc as { Code: string; Message: string; Resource: string; RequestId: string };
}
