// The answer to a successful POST Object: a 303 to success_action_redirect, or
// success_action_status 200 / 201 (with a PostResponse document) / 204 (the default).
import type { IncomingMessage, ServerResponse } from "node:http";
import { getEnv } from "../../lib/env";
import { headerValue } from "../router-headers";
import { el, xmlDocument } from "../xml";

type Stored = { bucket: string; key: string; etag: string; versionId?: string };

export function respondToPost(req: IncomingMessage, res: ServerResponse, fields: Map<string, string>, stored: Stored): void {
  // A versioned bucket names the new version in every answer, as S3 does.
  const version = stored.versionId === undefined ? {} : { "x-amz-version-id": stored.versionId };
  // The scheme clients reach the gateway with (KEYGATE_GATEWAY_URL: https behind a TLS proxy).
  const scheme = new URL(getEnv().gatewayUrl).protocol;
  const location = `${scheme}//${headerValue(req.headers, "host") ?? "localhost"}/${stored.bucket}/${stored.key.split("/").map(encodeURIComponent).join("/")}`;
  const redirect = fields.get("success_action_redirect") ?? fields.get("redirect");
  if (redirect && URL.canParse(redirect) && /^https?:$/.test(new URL(redirect).protocol)) {
    const target = new URL(redirect);
    target.searchParams.set("bucket", stored.bucket);
    target.searchParams.set("key", stored.key);
    target.searchParams.set("etag", stored.etag);
    res.writeHead(303, { location: target.toString(), etag: stored.etag, ...version, "content-length": 0 }).end();
    return;
  }
  const status = fields.get("success_action_status");
  if (status === "201") {
    const body = Buffer.from(xmlDocument("PostResponse", el("Location", location) + el("Bucket", stored.bucket) + el("Key", stored.key) + el("ETag", stored.etag), false));
    res.writeHead(201, { "content-type": "application/xml", "content-length": body.length, etag: stored.etag, ...version, location }).end(body);
    return;
  }
  res.writeHead(status === "200" ? 200 : 204, { etag: stored.etag, ...version, location, "content-length": 0 }).end();
}
