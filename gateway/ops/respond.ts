// Writing responses: the headers every response carries, XML and empty bodies,
// and the error document. Only deliberate messages reach the client: anything
// that is not an S3Error / StorageError becomes a generic 500 InternalError.
import { hash } from "node:crypto";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { finished } from "node:stream";
import { StorageError } from "../../lib/storage/types";
import { PayloadError } from "../sigv4/errors";
import { S3Error, internalError } from "../errors";
import { renderError } from "../xml";
import type { OpRun } from "./context";

export function setCommonHeaders(res: ServerResponse, requestId: string): void {
  if (res.headersSent) return;
  res.setHeader("server", "Keygate");
  res.setHeader("x-content-type-options", "nosniff"); // also set in server.ts; here for handlers run without it (tests)
  res.setHeader("x-amz-request-id", requestId);
  // S3's "extended request id"; ours is derived from the request id so logs can be joined.
  res.setHeader("x-amz-id-2", hash("sha256", requestId, "base64"));
}

export function sendXml(run: OpRun, status: number, xml: string, headers: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(xml, "utf8");
  run.stats.outBytes += body.length;
  run.res.writeHead(status, { ...headers, "content-type": "application/xml", "content-length": body.length });
  run.res.end(body);
}

export function sendEmpty(run: OpRun, status: number, headers: OutgoingHttpHeaders = {}): void {
  run.res.writeHead(status, status === 204 || status === 304 ? headers : { ...headers, "content-length": 0 });
  run.res.end();
}

/** True for errors whose code and message are meant for the client. */
export function isClientFacing(err: unknown): boolean {
  if (err instanceof S3Error) return true;
  if (err instanceof StorageError || err instanceof PayloadError) return err.status < 500;
  return false;
}

export function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof StorageError && err.status < 500) {
    const s3 = new S3Error(err.code, err.message, err.status);
    Object.assign(s3.headers, err.headers); // x-amz-delete-marker, x-amz-version-id
    return s3;
  }
  if (err instanceof PayloadError && err.status < 500) return new S3Error(err.code, err.message, err.status);
  if (err instanceof StorageError || err instanceof PayloadError) {
    return new S3Error(err.code, internalError().message, err.status);
  }
  return internalError();
}

/** Renders any error as an S3 error response; HEAD gets the status only. */
export function sendError(res: ServerResponse, err: unknown, requestId: string, method: string): void {
  if (res.headersSent) {
    // Mid-body failure: the status is already on the wire, only cutting the connection tells the client.
    res.destroy();
    return;
  }
  if (res.destroyed || res.writableEnded) return;
  settleUnreadBody(res);
  writeError(res, toS3Error(err), requestId, method);
}

/**
 * The client went silent mid-body (the socket's idle timeout fired before any answer): S3 answers
 * 400 RequestTimeout and closes the connection. Once the answer is out, the request is destroyed
 * with that error, so whoever still waits for the body (storage staging an upload, the form
 * parser) fails and discards what it wrote; node itself would never end that wait, since the
 * answered request is no longer the connection's to abort. Their later failures find the
 * response ended: no second answer, and an S3Error, so nothing is logged as a fault.
 */
export function sendRequestTimeout(res: ServerResponse, err: S3Error, requestId: string, method: string): void {
  const req = res.req as ServerResponse["req"] | undefined;
  res.setHeader("connection", "close");
  writeError(res, err, requestId, method, () => req?.destroy(err));
}

function writeError(res: ServerResponse, s3: S3Error, requestId: string, method: string, written?: () => void): void {
  setCommonHeaders(res, requestId);
  for (const [name, value] of Object.entries(s3.headers)) res.setHeader(name, value);
  if (method.toUpperCase() === "HEAD") {
    res.writeHead(s3.status);
    res.end(written);
    return;
  }
  const body = Buffer.from(renderError(s3, requestId), "utf8");
  res.writeHead(s3.status, { "content-type": "application/xml", "content-length": body.length });
  res.end(body, written);
}

/** A request body still unread up to this size is drained so the client reads the error and the connection stays usable. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * How long a drain may take after the error. A client that sent its body along with the request
 * finishes within milliseconds (1 MiB takes 4 s even at 2 Mbit/s); one still trickling bytes
 * after this was told no is holding the connection, and the idle timeout alone would let it do
 * so for as long as it keeps sending. Cutting costs an honest slow client only a reconnect.
 */
const DRAIN_WINDOW_MS = 5_000;

/**
 * The request body the error leaves unread: a small one is drained, for DRAIN_WINDOW_MS at most;
 * a large or unsized one is not read at all, the connection closes after the error instead.
 * Nobody reads a refused upload to its end.
 */
function settleUnreadBody(res: ServerResponse): void {
  const req = res.req as ServerResponse["req"] | undefined;
  if (!req || req.complete || req.destroyed) return;
  req.unpipe();
  // A client waiting for "100 Continue" will not send its body after an error: nothing to drain.
  const waitsForContinue = req.headers.expect !== undefined;
  if (waitsForContinue || !(Number(req.headers["content-length"]) <= DRAIN_LIMIT)) {
    res.setHeader("connection", "close");
    return;
  }
  req.resume();
  // Until the body is read the connection can carry no other request: cutting it cuts only this one.
  const cut = setTimeout(() => req.socket?.destroy(), DRAIN_WINDOW_MS).unref();
  finished(req, () => clearTimeout(cut));
}
