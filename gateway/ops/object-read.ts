// GetObject and HeadObject: conditionals, Range, response-* overrides, and the
// streamed body (never buffered; a client abort destroys the storage stream).
import { pipeline } from "node:stream/promises";
import type { ByteRange, GetResult, ObjectInfo } from "../../lib/storage/types";
import { S3Error, invalidRange } from "../errors";
import { evaluateConditionals, hasConditionals, objectHeaders, parseRange, readConditionals } from "../http";
import { headerValue } from "../router-headers";
import { objectSafetyHeaders } from "./content-safety";
import { type OpRun, objectOf } from "./context";
import { lockResponseHeaders } from "./lock-headers";
import { sendEmpty } from "./respond";
import { versionHeader } from "./versions";

export const getObject = (run: OpRun) => readObject(run, true);
export const headObject = (run: OpRun) => readObject(run, false);

type Plan = { info: ObjectInfo; range: ByteRange | null } | "not-modified";

/**
 * Conditionals and Range need the object's ETag/size before the body is opened,
 * so those requests (and HEAD) look the object up first. A plain GET opens the
 * body directly: one storage call on the hot path.
 */
async function readObject(run: OpRun, withBody: boolean): Promise<void> {
  const { bucket, key } = objectOf(run);
  const { versionId } = run.route;
  const conditionals = readConditionals(run.req.headers);
  const rangeHeader = headerValue(run.req.headers, "range");
  if (withBody && !hasConditionals(conditionals) && !rangeHeader) {
    return streamBody(run, null, await run.storage.getObject(bucket, key, undefined, versionId));
  }
  const info = await run.storage.headObject(bucket, key, versionId);
  const plan = planRead(info, conditionals, rangeHeader);
  if (plan === "not-modified") {
    return sendEmpty(run, 304, { etag: info.etag, "last-modified": objectHeaders(info)["last-modified"], ...versionHeader(info.versionId) });
  }
  if (!withBody) {
    run.res.writeHead(plan.range ? 206 : 200, responseHeaders(run, info, plan.range));
    run.res.end();
    return;
  }
  // The object may change between the lookup and the read; storage then throws InvalidRange if the range no longer fits.
  // A version id pins the version the lookup saw; without one the latest is read again.
  return streamBody(run, plan.range, await run.storage.getObject(bucket, key, plan.range ?? undefined, versionId ?? info.versionId));
}

function planRead(info: ObjectInfo, conditionals: ReturnType<typeof readConditionals>, rangeHeader?: string): Plan {
  const verdict = evaluateConditionals(conditionals, info, "read");
  if (verdict === "not-modified") return verdict;
  if (verdict instanceof S3Error) throw verdict;
  const range = parseRange(rangeHeader, info.size);
  if (range === "unsatisfiable") throw invalidRange(info.size);
  return { info, range };
}

function responseHeaders(run: OpRun, info: ObjectInfo, range: ByteRange | null) {
  const headers = objectHeaders(info, run.route.query);
  headers["content-length"] = range ? range.end - range.start + 1 : info.size;
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${info.size}`;
  return { ...headers, ...objectSafetyHeaders(headers["content-type"]), ...versionHeader(info.versionId), ...lockResponseHeaders(run, info.lock) };
}

async function streamBody(run: OpRun, range: ByteRange | null, result: GetResult): Promise<void> {
  const { info, data } = result; // `body` only when streaming: for in-memory data it is built on access
  run.res.writeHead(range ? 206 : 200, responseHeaders(run, info, range));
  if (data) {
    // Already in memory (a small object): no stream machinery per request.
    run.stats.outBytes += data.length;
    run.res.end(data);
    return;
  }
  const body = result.body;
  // Counted as the chunks flow to the response (a listener next to pipeline's own, not a
  // Transform: one stream hop less per chunk on large objects).
  body.on("data", (chunk: Buffer) => { run.stats.outBytes += chunk.length; });
  try {
    await pipeline(body, run.res);
  } catch (err) {
    // pipeline has destroyed every stream. A premature close is the client
    // going away; anything else is a storage read failure mid-body, which we
    // can only report to the operator: the status line is already sent.
    body.destroy();
    run.res.destroy();
    if ((err as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") run.onError?.(err);
  }
}
